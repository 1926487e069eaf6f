from django.apps import AppConfig


class OcrConfig(AppConfig):
    """Only hosts the management command; the engine itself never imports Django."""

    name = "ocr"
