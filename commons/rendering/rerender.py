"""Re-render the HTML stored next to Markdown, for data migrations when the renderer changes.

Pages store the rendering of each Markdown field (`body` -> `body_html`…), and so does every
revision's JSON: a past version, a draft or a scheduled one must come out of the new renderer too.
Apps call `rerender_stored_html` from a RunPython migration with their historical models: the core
knows no app model.
"""

from commons.rendering.markdown import render_markdown
from commons.speed.freshness import bump_content_generation

BATCH_SIZE = 200


def rerender_stored_html(
    apps, model_label: str, fields: dict[str, str], batch_size: int = BATCH_SIZE, id_prefixes=None
) -> int:
    """Re-render `{source_field: html_field}` on every row and revision of one page model.

    `id_prefixes` gives `{source_field: id_prefix}` for a field the model renders with its own id
    prefix (`render_markdown(text, id_prefix)`); the others get the renderer's default.
    Returns how many rows and revisions changed. `apps` is the migration's app registry.
    """
    model = apps.get_model(model_label)
    render = _Renderer(id_prefixes or {})
    changed = _rerender_rows(model, fields, batch_size, render)
    changed += _rerender_revisions(apps, model, fields, batch_size, render)
    if changed:
        bump_content_generation()  # cached pages hold the former rendering
    return changed


class _Renderer:
    def __init__(self, id_prefixes: dict[str, str]):
        self.id_prefixes = id_prefixes

    def __call__(self, source: str, text) -> str:
        if source in self.id_prefixes:
            return render_markdown(text, self.id_prefixes[source])
        return render_markdown(text)


def _rerender_rows(model, fields: dict[str, str], batch_size: int, render: _Renderer) -> int:
    rows = model._base_manager.only("pk", *fields, *fields.values()).order_by("pk")
    batch, changed = [], 0
    for row in rows.iterator(chunk_size=batch_size):
        if _rerender_row(row, fields, render):
            batch.append(row)
        if len(batch) == batch_size:
            changed += _save(model, batch, list(fields.values()))
            batch = []
    return changed + _save(model, batch, list(fields.values()))


def _rerender_row(row, fields: dict[str, str], render: _Renderer) -> bool:
    stale = False
    for source, target in fields.items():
        html = render(source, getattr(row, source))
        if getattr(row, target) != html:
            setattr(row, target, html)
            stale = True
    return stale


def _rerender_revisions(apps, model, fields: dict[str, str], batch_size: int, render: _Renderer) -> int:
    content_type = (
        apps.get_model("contenttypes", "ContentType")
        .objects.filter(app_label=model._meta.app_label, model=model._meta.model_name)
        .first()
    )
    if content_type is None:  # a fresh database: no content type yet, so no revision either
        return 0
    revision_model = apps.get_model("wagtailcore", "Revision")
    revisions = revision_model.objects.filter(content_type=content_type).only("pk", "content").order_by("pk")
    batch, changed = [], 0
    for revision in revisions.iterator(chunk_size=batch_size):
        if _rerender_content(revision.content, fields, render):
            batch.append(revision)
        if len(batch) == batch_size:
            changed += _save(revision_model, batch, ["content"])
            batch = []
    return changed + _save(revision_model, batch, ["content"])


def _rerender_content(content, fields: dict[str, str], render: _Renderer) -> bool:
    """Update a revision's JSON in place; a field it does not hold is left out, not invented."""
    if not isinstance(content, dict):
        return False
    stale = False
    for source, target in fields.items():
        if source not in content:
            continue
        html = render(source, content[source])
        if content.get(target) != html:
            content[target] = html
            stale = True
    return stale


def _save(model, batch: list, field_names: list[str]) -> int:
    if batch:
        model._base_manager.bulk_update(batch, field_names)
    return len(batch)
