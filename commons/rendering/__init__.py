"""Rendering: the one Markdown renderer (`markdown.render_markdown`, CommonMark by markdown-it-py
then nh3), the re-rendering of stored HTML for data migrations (`rerender`), and the Jinja2
environment of the public templates (`jinja2.environment`, with Django's behaviour).

Imported by their full name (the settings name them as dotted paths).
"""

__all__ = ["jinja2", "markdown", "rerender"]
