from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from commons.api.router import api_urls
from commons.speed import serving
from commons.views import pages as views
from commons.views.sitemap import sitemap_xml

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", include(api_urls)),  # Wagtail's read-only API (commons.api)
    path("markdownx/markdownify/", views.markdown_preview, name="markdown_preview"),
    path("", include("methods.urls")),  # the questions, and the methods that answer them
    path("", include("territories.urls")),  # the commons' roadmap
    path("", include("commons.opendata.urls")),  # exports, feeds
    path("associations/", views.association_list, name="association_list"),
    path("associations/<slug:slug>/", views.association_detail, name="association_detail"),
    path("recherche/", views.search, name="search"),
    path("recherche/suggestions/", views.search_suggestions, name="search_suggestions"),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

# The database away answers a French 503 wherever it is met (commons/resilience.py).
handler500 = "commons.resilience.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# `<fiche>/fiche.md`: Wagtail routes only paths ending in "/", so the fiche's route gets one.
urlpatterns += [re_path(r"^((?:[\w\-]+/)+)fiche\.md$", serving.serve_fiche_file)]
# Pages: Wagtail's serve view with a faster site lookup and route (same URL pattern as Wagtail's).
urlpatterns += [re_path(r"^((?:[\w\-]+/)*)$", serving.serve), path("", include(wagtail_urls))]
