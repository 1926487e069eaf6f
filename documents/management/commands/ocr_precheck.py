"""``manage.py ocr_precheck FILE... --json``: the OCR engine's command line inside the project.

The engine (``ocr/``) stays free of Django; this command only forwards to it.
"""

from django.core.management.base import BaseCommand

from ocr import cli


class Command(BaseCommand):
    help = "Run the OCR pre-check on files and print one result per file (never approves anything)."

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        cli.run(options, self.stdout)
