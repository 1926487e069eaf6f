from django.apps import AppConfig


class CallcenterConfig(AppConfig):
    name = "callcenter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows import glance

        from .selectors import interactions

        glance.register_call_log(lambda customer, limit: interactions(customer=customer, limit=limit))
