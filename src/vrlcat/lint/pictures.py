"""The chart pictures of the page are fresh, like the README itself."""

from __future__ import annotations

from collections.abc import Iterator

from ..locate import typed_path
from . import ERROR, Context, Finding, catalog_rule


@catalog_rule("chart-stale", ERROR, "Each chart picture of the page shows the catalog as it is now.")
def chart_stale(context: Context) -> Iterator[Finding]:
    from ..charts import stale_charts

    if context.readme is None:
        return
    for path, what in stale_charts(context.catalog, context.readme.parent):
        yield Finding("chart-stale", ERROR, context.list_path, None,
                      f"{context.display(path)} is {what}; `vrlcat render -o {typed_path(context.readme)}` "
                      "draws it again")
