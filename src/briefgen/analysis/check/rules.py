"""What a rule is and how the runner applies one. A check is a function of the context,
run when the options it needs are on; a mention rule reads the numbers of the prose one
at a time: it declares which mentions it reads and returns the finding for one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefgen.analysis.check.context import Context
from briefgen.analysis.check.findings import ERROR, CheckOptions, Finding
from briefgen.analysis.check.mentions import Mention

TYPED_KINDS = ("number", "count", "rank")  # the mentions a figure of the data may stand for


@dataclass(frozen=True)
class Check:
    """One check of the run, and the options that must be on for it (previous, warnings)."""

    run: Callable[[Context], list[Finding]]
    needs: tuple[str, ...] = ()

    def wanted(self, options: CheckOptions) -> bool:
        return all(getattr(options, name) for name in self.needs)


@dataclass(frozen=True)
class MentionRule:
    """A rule on one mention at a time. `find` returns its finding (None: the mention is
    fine); the other fields say which mentions it reads."""

    find: Callable[[Context, Mention], Finding | None]
    kinds: tuple[str, ...] | None = TYPED_KINDS  # None: every kind
    bound: bool | None = False  # False: typed numbers only, True: bound only, None: both
    exact: bool = False  # only numbers without a qualifier (约, 以上 …)
    after_errors: bool = True  # skip a mention an earlier error already names

    def reads(self, m: Mention, ctx: Context) -> bool:
        return ((self.kinds is None or m.kind in self.kinds)
                and self.bound in (None, m.bound)
                and not (self.exact and m.qualifier)
                and not (self.after_errors and id(m) in ctx.flagged))

    def run(self, ctx: Context) -> list[Finding]:
        """The rule's findings in the order of the mentions. An error marks its mention as
        named, so that later rules do not report the same number again."""
        findings = []
        for m in ctx.mentions:
            found = self.find(ctx, m) if self.reads(m, ctx) else None
            if found is None:
                continue
            if found.level == ERROR:
                ctx.flagged.add(id(m))
            findings.append(found)
        return findings
