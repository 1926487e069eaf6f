"""Contracts and invoices as the billing system sends them (issue 16).

``Invoice.paid`` (a boolean) becomes ``Invoice.status`` (paid / pending / returned): paid rows become
"paid", the rest "pending" (nothing said "returned" before). The bank-check proof "one of the last three
paid invoices" keeps reading ``status == "paid"``. Going back maps "paid" to True and the rest to False.
"""

import django.db.models.deletion
from django.db import migrations, models


def paid_to_status(apps, schema_editor):
    Invoice = apps.get_model("accounts", "Invoice")
    Invoice.objects.filter(paid=True).update(status="paid")
    Invoice.objects.filter(paid=False).update(status="pending")


def status_to_paid(apps, schema_editor):
    Invoice = apps.get_model("accounts", "Invoice")
    Invoice.objects.filter(status="paid").update(paid=True)
    Invoice.objects.exclude(status="paid").update(paid=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_audit_truncate_guard_and_anchors"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="contracted_power_kw",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="contract",
            name="ended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contract",
            name="payment_day",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contract",
            name="product",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name="contract",
            name="tariff",
            field=models.CharField(blank=True, max_length=12),
        ),
        migrations.AddField(
            model_name="invoice",
            name="due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invoice",
            name="lines",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="invoice",
            name="pdf_name",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="invoice",
            name="period_end",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invoice",
            name="period_start",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invoice",
            name="status",
            field=models.CharField(
                choices=[("paid", "Paid"), ("pending", "Pending"), ("returned", "Returned")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="invoice",
            name="supply_point",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="invoices",
                to="accounts.supplypoint",
            ),
        ),
        migrations.AddField(
            model_name="invoice",
            name="vat",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["status"], name="accounts_in_status_08f461_idx"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["issued_on"], name="accounts_in_issued__c78f64_idx"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["supply_point", "-issued_on"], name="accounts_in_supply__040014_idx"),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("payment_day__isnull", True),
                    models.Q(("payment_day__gte", 1), ("payment_day__lte", 28)),
                    _connector="OR",
                ),
                name="contract_payment_day_1_to_28",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"
                ),
                name="contract_ends_after_it_starts",
            ),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["paid", "pending", "returned"])), name="invoice_status_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("period_start__isnull", True),
                    ("period_end__isnull", True),
                    ("period_end__gte", models.F("period_start")),
                    _connector="OR",
                ),
                name="invoice_period_in_order",
            ),
        ),
        migrations.RunPython(paid_to_status, status_to_paid),
        migrations.RemoveField(
            model_name="invoice",
            name="paid",
        ),
    ]
