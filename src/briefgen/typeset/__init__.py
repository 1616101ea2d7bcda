"""Format-neutral typesetting both writers share: Chinese line breaking, titles, the board."""
