"""The data stage: tables and facts in, typed values that remember their cell out.

A data folder (``data/<place>/<year>/``) describes itself in ``tables.yaml``
(files, keys, columns with their headers, labels, units and types) and keeps
scalar facts in ``facts.yaml``. The modules, top down:

    context   load_data and DataContext: the folder as a whole
    cells     cell texts to typed rows, this year's and last year's
    layout    finding a table in a sheet: header rows, patterns, years, notes
    readers   CSV and Excel files to rows of cell texts (capped)
    tables    DataTable, Row, Facts, Tables and the derived figures
    schema    the pydantic models of tables.yaml and facts.yaml
    values    Value (with text, decimals, unit, sources) and Cell
"""

from briefgen.data.context import DataContext, load_data
from briefgen.data.schema import ColumnSpec, FactSpec, TableSpec, TotalSpec
from briefgen.data.tables import DataTable, Facts, Row, Tables
from briefgen.data.values import Cell, NotInData, Value, places, plain_number

__all__ = [
    "Cell", "ColumnSpec", "DataContext", "DataTable", "FactSpec", "Facts", "NotInData", "Row",
    "TableSpec", "Tables", "TotalSpec", "Value", "load_data", "places", "plain_number",
]
