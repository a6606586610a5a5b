"""axe-core (bundled by axe-playwright-python) run in the page, with the WCAG 2.1 A and AA rules
that RGAA 4.1 builds on; each audit is kept for the table printed at the end of the run."""

from collections import Counter
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()
# Fades still running (Wagtail's messages, Leaflet's popups) would be measured half-transparent:
# wait for every finite animation to end, three seconds at most.
SETTLE = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter((animation) => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity)
    .map((animation) => animation.finished.catch(() => null))),
  new Promise((resolve) => setTimeout(resolve, 3000)),
])"""


@dataclass
class Audit:
    label: str
    path: str
    width: int
    violations: list[dict] = field(default_factory=list)

    @property
    def impacts(self) -> Counter:
        return Counter(violation["impact"] for violation in self.violations)

    @property
    def blocking(self) -> list[dict]:
        return [violation for violation in self.violations if violation["impact"] in BLOCKING]

    def describe(self) -> str:
        lines = [f"{self.label} ({self.path}, {self.width} px)"]
        for violation in self.violations:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
        return "\n".join(lines)


AUDITS: list[Audit] = []


def audit(page, label: str, keep: bool = True) -> Audit:
    """Run axe on the page as it is now (after any interaction) and keep the result for the table."""
    page.evaluate(SETTLE)
    response = _axe.run(page, options=OPTIONS)
    path = page.url.split("//", 1)[-1].split("/", 1)[-1]
    result = Audit(label, "/" + path, page.viewport_size["width"], response.response["violations"])
    if keep:
        AUDITS.append(result)
    return result


def shorten(path: str, length: int = 48) -> str:
    return path if len(path) <= length else path[: length - 1] + "…"


def table(audits: list[Audit]) -> str:
    """A Markdown table: violations per page and width, by impact."""
    rows = [
        "| page | adresse | largeur | violations | critiques | graves | modérées | mineures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for item in audits:
        counts = item.impacts
        rows.append(
            f"| {item.label} | `{shorten(item.path)}` | {item.width} px | {len(item.violations)} | "
            + " | ".join(str(counts[impact]) for impact in IMPACTS)
            + " |"
        )
    return "\n".join(rows)
