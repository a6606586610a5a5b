"""Public pages of the core that are not Wagtail pages: associations, search, robots.txt, the
admin's Markdown preview (`pages`) and the sitemap (`sitemap`). The question pages are the
methods app's (`methods.views`)."""

__all__ = ["pages", "sitemap"]
