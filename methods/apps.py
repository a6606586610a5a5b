from django.apps import AppConfig


class MethodsConfig(AppConfig):
    name = "methods"
    verbose_name = "Méthodes et outils"
    default_auto_field = "django.db.models.BigAutoField"
