from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    default_auto_field = "django.db.models.BigAutoField"
