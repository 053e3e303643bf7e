"""Line breaking for a whole paragraph at once (Knuth and Plass, "Breaking Paragraphs into Lines", 1981).

Pure arithmetic on boxes, glue and penalties: no ReportLab here. A paragraph is a :class:`Items` list; the
breaker chooses the breaks that minimise the paragraph's total demerits (badness from how far each line's
glue stretches or shrinks, fitness classes, demerits for adjacent hyphenated lines and for very different
tightness on adjacent lines, a hyphen on the last full line penalised) as TeX does, in up to three
passes: without hyphenation, with it, then with emergency stretch. The active list only holds breaks a
line could still start from, so the cost grows linearly with the paragraph's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

INFINITY = 10_000  # a penalty this high forbids the break; -INFINITY forces it
BOX, GLUE, PENALTY = 0, 1, 2


class Items:
    """A paragraph as parallel arrays: kind, width, stretch, shrink, penalty, flagged, and for each break
    candidate how far the line ending there may protrude into the right margin; ``optional`` marks
    penalties a pass without hyphenation ignores (hyphenation points)."""

    # a plain class, as the other small classes of the typesetting core: a dataclass's generated methods
    # cost a cold build about half a millisecond each class, and nothing here needs them
    __slots__ = ("flagged", "kind", "optional", "penalty", "protrusion", "shrink", "stretch", "width")

    def __init__(
        self,
        kind: list[int] | None = None,
        width: list[float] | None = None,
        stretch: list[float] | None = None,
        shrink: list[float] | None = None,
        penalty: list[float] | None = None,
        flagged: list[bool] | None = None,
        protrusion: list[float] | None = None,
        optional: list[bool] | None = None,
    ) -> None:
        self.kind: list[int] = [] if kind is None else kind
        self.width: list[float] = [] if width is None else width
        self.stretch: list[float] = [] if stretch is None else stretch
        self.shrink: list[float] = [] if shrink is None else shrink
        self.penalty: list[float] = [] if penalty is None else penalty
        self.flagged: list[bool] = [] if flagged is None else flagged
        self.protrusion: list[float] = [] if protrusion is None else protrusion
        self.optional: list[bool] = [] if optional is None else optional

    def __repr__(self) -> str:
        return f"Items(<{len(self.kind)} items>)"

    def __len__(self) -> int:
        return len(self.kind)

    @classmethod
    def of(cls, rows: list[tuple[int, float, float, float, float, bool, float, bool]]) -> Items:
        """Items from rows of (kind, width, stretch, shrink, penalty, flagged, protrusion, optional)."""
        if not rows:
            return cls()
        return cls(*map(list, zip(*rows, strict=True)))

    def add(
        self,
        kind: int,
        width: float,
        stretch: float = 0.0,
        shrink: float = 0.0,
        penalty: float = 0.0,
        flagged: bool = False,
        protrusion: float = 0.0,
        optional: bool = False,
    ) -> None:
        self.kind.append(kind)
        self.width.append(width)
        self.stretch.append(stretch)
        self.shrink.append(shrink)
        self.penalty.append(penalty)
        self.flagged.append(flagged)
        self.protrusion.append(protrusion)
        self.optional.append(optional)


class Parameters(NamedTuple):
    """TeX's parameters, with TeX's (plain and LaTeX) values."""

    tolerance: float = 200.0
    pretolerance: float = 100.0
    line_penalty: float = 10.0
    adjacent_demerits: float = 10_000.0  # \adjdemerits: fitness classes more than one apart
    double_hyphen_demerits: float = 10_000.0
    final_hyphen_demerits: float = 5_000.0
    emergency_stretch: float = 0.0  # added to every line's stretch in the third pass
    max_hyphen_run: int = 2  # never more consecutive hyphenated lines than this
    ragged: bool = False  # ragged right: any underfull line is acceptable, judged by its shortfall


TEX = Parameters()  # TeX's own values


class Breaks(NamedTuple):
    """The chosen breaks (item indexes) and each line's adjustment ratio (r: -1..0 shrinks, >0 stretches)."""

    positions: tuple[int, ...]
    ratios: tuple[float, ...]
    flagged: tuple[bool, ...]  # whether each line ends at a hyphen


class _Node:
    __slots__ = (
        "demerits",
        "fitness",
        "line",
        "position",
        "previous",
        "ratio",
        "run",
        "shrink",
        "stretch",
        "width",
    )  # fmt: skip

    def __init__(
        self,
        position: int,
        line: int,
        fitness: int,
        run: int,
        demerits: float,
        previous: _Node | None,
        sums: tuple[float, float, float],
        ratio: float,
    ) -> None:
        self.position, self.line, self.fitness, self.run = position, line, fitness, run
        self.demerits, self.previous, self.ratio = demerits, previous, ratio
        self.width, self.stretch, self.shrink = sums


def first_pass(items: Items, widths: Sequence[float], params: Parameters = TEX) -> Breaks | None:
    """The breaks of pass 1 alone (no hyphenation, ``pretolerance``); None when it finds no way."""
    return _run(items, widths, params, params.pretolerance, False, 0.0, False)


def break_paragraph(
    items: Items,
    widths: Sequence[float],
    params: Parameters = TEX,
    hyphenate: bool = True,
    first: bool = True,
) -> Breaks:
    """The best breaks of ``items`` for lines ``widths[0]``, ``widths[1]``, … wide (the last width holds
    for every later line). The last item must be a forced break (penalty ``-INFINITY``).

    Pass 1 (unless ragged) ignores optional breaks (hyphenation points) with ``pretolerance``; pass 2
    uses them with ``tolerance``; pass 3 adds ``emergency_stretch``; a last pass accepts any looseness,
    and if even that leaves no way (a box wider than the line), the line is let run overfull.
    ``first=False`` skips pass 1 (its caller ran :func:`first_pass` already)."""
    if params.ragged:
        found = _run(items, widths, params, params.tolerance, True, 0.0, False)  # lines at least ~70% full
    else:
        found = first_pass(items, widths, params) if first else None
        if found is None and hyphenate:
            found = _run(items, widths, params, params.tolerance, True, 0.0, False)
        if found is None and params.emergency_stretch:
            found = _run(items, widths, params, params.tolerance, hyphenate, params.emergency_stretch, False)
    if found is None:  # any looseness rather than a line running into the margin
        found = _run(items, widths, params, 1e12, hyphenate, params.emergency_stretch, True)
    assert found is not None  # the last pass always finds a way
    return found


def _run(
    items: Items,
    widths: Sequence[float],
    params: Parameters,
    tolerance: float,
    hyphens: bool,
    emergency: float,
    final: bool,
) -> Breaks | None:
    kind, width, stretch, shrink = items.kind, items.width, items.stretch, items.shrink
    penalty, flagged, protrusion, optional = items.penalty, items.flagged, items.protrusion, items.optional
    n = len(kind)
    first_width, other_width = widths[0], widths[-1] if len(widths) > 1 else widths[0]
    line_penalty = params.line_penalty
    ragged = params.ragged
    max_run = params.max_hyphen_run
    # running totals of width, stretch and shrink up to the current item
    tw = ts = tk = 0.0
    active: list[_Node] = [_Node(0, 0, 1, 0, 0.0, None, (0.0, 0.0, 0.0), 0.0)]
    inf = float("inf")
    # a ratio above this cannot be acceptable (badness 100 r^3 over the tolerance)
    r_max = (tolerance / 100.0) ** (1 / 3) if tolerance < 1e11 else float("inf")
    for b in range(n):
        k = kind[b]
        if k == BOX:
            tw += width[b]
            ts += stretch[b]  # boxes stretch and shrink a little too (font expansion)
            tk += shrink[b]
            continue
        if k == GLUE:
            # a glue is a break candidate when a box precedes it
            if b == 0 or kind[b - 1] != BOX:
                tw += width[b]
                ts += stretch[b]
                tk += shrink[b]
                continue
            p = 0.0
            pw = 0.0
            fl = False
        else:
            p = penalty[b]
            if p >= INFINITY or (optional[b] and not hyphens):
                continue
            pw = width[b]
            fl = flagged[b]
        forced = k == PENALTY and p <= -INFINITY
        prot = protrusion[b]
        # best new node per (fitness, hyphen run) class; the active list is copied only when a node goes
        # keyed by run * 4 + fitness (a small int hashes faster than a tuple)
        best: dict[int, tuple[float, _Node, float]] | None = None
        kept: list[_Node] | None = None
        last_dropped: _Node | None = None
        for index, a in enumerate(active):
            target = (first_width if a.line == 0 else other_width) + prot
            line_w = tw - a.width + pw
            if line_w < target:
                if ragged:
                    r = 0.0 if forced else (target - line_w) / (ts - a.stretch + emergency + 0.25 * target)
                else:
                    st = ts - a.stretch + emergency
                    r = (target - line_w) / st if st > 0 else inf
                if r > r_max and not forced:
                    # too loose to end here, still active: the common case. The list is in the order of
                    # the breaks, so every later node's line (with the same measure) is looser still.
                    if a.line:
                        if kept is not None:
                            kept.extend(active[index:])
                        break
                    if kept is not None:
                        kept.append(a)
                    continue
            elif line_w > target:
                sh = tk - a.shrink
                r = (target - line_w) / sh if sh > 0 else -inf
            else:
                r = 0.0
            if r < -1 or forced:
                if kept is None:
                    kept = active[:index]
                last_dropped = a
                if r < -1:
                    continue
            elif kept is not None:
                kept.append(a)
            if forced and r > 0 and not ragged:
                r = 0.0  # the last line has infinite stretch (\parfillskip)
            if r > r_max:
                continue
            run = a.run + 1 if fl else 0
            if run > max_run and not final:
                continue
            bad = abs(r)  # badness 100 |r|^3 and demerits (l + b)^2 as products: cheaper than pow
            bad = 100.0 * (bad * bad * bad)
            if bad > 1e6:
                bad = 1e6
            d = line_penalty + bad
            d *= d
            if p > 0:
                d += p * p
            elif p > -INFINITY:
                d -= p * p
            if fl and a.run > 0:
                d += params.double_hyphen_demerits
            if forced and a.run > 0:
                d += params.final_hyphen_demerits
            if run > max_run:
                d += 1e8
            fit = 0 if r < -0.5 else (1 if r <= 0.5 else (2 if r <= 1.0 else 3))
            if fit - a.fitness > 1 or a.fitness - fit > 1:
                d += params.adjacent_demerits
            d += a.demerits
            key = run * 4 + fit
            if best is None:
                best = {key: (d, a, r)}
            else:
                held = best.get(key)
                if held is None or d < held[0]:
                    best[key] = (d, a, r)
        if kept is not None:
            active = kept
        if best is None and not active and last_dropped is not None and final:
            # nothing can end here and nothing may continue: let this line run overfull
            best = {1: (last_dropped.demerits + 1e9, last_dropped, -1.0)}  # fitness 1, no hyphen run
        if best:
            # the totals after the break: skip the glue and penalties that follow it (discarded at a break)
            aw, as_, ak = tw, ts, tk
            if k == GLUE:
                aw += width[b]
                as_ += stretch[b]
                ak += shrink[b]
            i = b + 1
            while i < n and kind[i] != BOX:
                if kind[i] == PENALTY and penalty[i] <= -INFINITY and i > b:
                    break
                if kind[i] == GLUE:
                    aw += width[i]
                    as_ += stretch[i]
                    ak += shrink[i]
                i += 1
            sums = (aw, as_, ak)
            for key, (d, a, r) in best.items():
                run, fit = divmod(key, 4)
                active.append(_Node(b, a.line + 1, fit, run, d, a, sums, r))
        if not active:
            return None
        if k == GLUE:
            tw += width[b]
            ts += stretch[b]
            tk += shrink[b]
    ends = [a for a in active if a.position == n - 1]
    if not ends:
        return None
    node: _Node | None = min(ends, key=lambda a: a.demerits)
    positions: list[int] = []
    ratios: list[float] = []
    hyph: list[bool] = []
    while node is not None and node.previous is not None:
        positions.append(node.position)
        ratios.append(node.ratio)
        hyph.append(kind[node.position] == PENALTY and flagged[node.position])
        node = node.previous
    positions.reverse()
    ratios.reverse()
    hyph.reverse()
    return Breaks(tuple(positions), tuple(ratios), tuple(hyph))
