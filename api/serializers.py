"""What the API shows, field by field (explicit: a new model field is never published by accident), and the
shape of what it accepts. Input is checked by the customer area's own forms and services, not here."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from accounts.models import (
    CollaboratorBatch,
    CollaboratorBatchItem,
    Contract,
    Customer,
    Grant,
    Invoice,
    Person,
    SupplyPoint,
)
from documents.models import Document
from webhooks.models import SUBSCRIBABLE, Attempt, Delivery, Endpoint, Event
from workflows.models import Milestone

from .models import PersonalAccessToken


class CustomerSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="The caller's role on the customer.")
    collaborator = serializers.SerializerMethodField(help_text="True for a collaborator of an external manager.")
    supply_point_scope = serializers.SerializerMethodField(help_text="True when the caller sees only some points.")
    actions = serializers.SerializerMethodField(help_text="What the caller may do on the customer.")

    class Meta:
        model = Customer
        fields = ["id", "tax_id", "name", "kind", "role", "collaborator", "supply_point_scope", "actions"]

    def _authority(self, customer: Customer):
        return self.context["authorities"][customer.pk]

    def get_role(self, customer: Customer) -> str:
        return self._authority(customer).grant.role

    def get_collaborator(self, customer: Customer) -> bool:
        return self._authority(customer).grant.is_collaborator

    def get_supply_point_scope(self, customer: Customer) -> bool:
        return not self._authority(customer).whole_customer

    def get_actions(self, customer: Customer) -> list[str]:
        return sorted(str(action) for action in self._authority(customer).actions)


class SupplyPointSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="contract.customer_id")
    contract_number = serializers.CharField(source="contract.number")
    energy = serializers.CharField(source="contract.energy")

    class Meta:
        model = SupplyPoint
        fields = ["id", "cups", "address", "city", "postcode", "customer", "contract", "contract_number", "energy"]


class ContractSerializer(serializers.ModelSerializer):
    """The direct-debit account is left out: its last digits are the holder's registration proof."""

    contracted_power_kw = serializers.DictField(child=serializers.CharField())

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "customer",
            "energy",
            "product",
            "tariff",
            "contracted_power_kw",
            "payment_day",
            "started_on",
            "ended_on",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="contract.customer_id")
    customer_name = serializers.CharField(source="contract.customer.name")
    contract_number = serializers.CharField(source="contract.number")
    cups = serializers.CharField(source="supply_point.cups", allow_null=True, default=None)
    total = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "contract",
            "contract_number",
            "supply_point",
            "cups",
            "period_start",
            "period_end",
            "issued_on",
            "due_on",
            "total",
            "status",
        ]


class ContactSerializer(serializers.ModelSerializer):
    """An active grant on the customer. The id number is masked unless ``authority`` lets the caller see it."""

    name = serializers.CharField(source="display_name")
    role_label = serializers.CharField(source="display_role")
    id_number = serializers.SerializerMethodField()
    collaborator_of = serializers.IntegerField(source="delegated_from_id", allow_null=True)
    may_edit = serializers.SerializerMethodField()
    may_change_role = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        fields = ["id", "name", "id_number", "role", "role_label", "collaborator_of", "may_edit", "may_change_role"]

    def get_id_number(self, grant: Grant) -> str:
        from accounts.identifiers import mask_id_number

        caps = self.context["authority"]
        return grant.person.id_number if caps.sees_identity_of(grant) else mask_id_number(grant.person.id_number)

    def get_may_edit(self, grant: Grant) -> bool:
        return self.context["authority"].may_edit(grant)

    def get_may_change_role(self, grant: Grant) -> bool:
        return self.context["authority"].may_change_role(grant)


class AddContactSerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text="NIF, NIE or passport, without dots or dashes.")
    name = serializers.CharField()
    email = serializers.CharField()
    role = serializers.ChoiceField(choices=["authorised_full", "authorised_readonly"])


class ChangeRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["authorised_full", "authorised_readonly"])


class RequestRowSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.CharField()
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField()
    status = serializers.CharField(source="milestone", allow_null=True)
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()


class MilestoneSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Milestone
        fields = ["kind", "label", "at", "message"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "original_name", "content_type", "size", "page_count", "uploaded_at"]


class RequestDetailSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.CharField()
    customer = serializers.IntegerField()
    is_open = serializers.BooleanField()
    outcome = serializers.CharField()
    created = serializers.DateTimeField()
    asks = serializers.DictField(
        child=serializers.JSONField(), help_text="What the request asks; identifiers masked for non-parties."
    )
    waiting_for_documents = serializers.BooleanField()
    may_act = serializers.BooleanField(help_text="The caller may upload and submit documents.")
    documents = DocumentSerializer(many=True, help_text="Only for the parties to the request.")
    timeline = MilestoneSerializer(many=True)


class RepresentativeChangeSerializer(serializers.Serializer):
    new_id_number = serializers.CharField()
    new_name = serializers.CharField()
    new_email = serializers.CharField()
    outgoing = serializers.ChoiceField(choices=["authorised_full", "deactivate"])
    contact_email = serializers.CharField()


class ExternalManagerSerializer(serializers.Serializer):
    firm_cif = serializers.CharField()
    firm_name = serializers.CharField()
    firm_kind = serializers.CharField()
    manager_id_number = serializers.CharField()
    manager_name = serializers.CharField()
    manager_email = serializers.CharField()
    supply_points = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="None: every supply point of the customer."
    )
    contact_email = serializers.CharField()


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "id_type", "id_number", "name", "email", "phone", "language"]


class ProfileChangeSerializer(serializers.Serializer):
    """What the caller changes of themselves at once; a field left out keeps its value."""

    name = serializers.CharField(required=False, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)


class EmailChangeSerializer(serializers.Serializer):
    email = serializers.CharField(help_text="The new address: it changes once confirmed from the link sent to it.")


class EmailChangeStartedSerializer(serializers.Serializer):
    new_email = serializers.CharField()
    message = serializers.CharField()


# -- payment day ---------------------------------------------------------------------------------------------


class PaymentDaySerializer(serializers.Serializer):
    day = serializers.IntegerField(help_text="One of the days offered (BILLING_PAYMENT_DAYS).")


# -- collaborator batches -------------------------------------------------------------------------------------


class CollaboratorBatchInputSerializer(serializers.Serializer):
    """One collaborator added to, or removed from, many companies at once (as on the customer area's batch page)."""

    customers = serializers.ListField(child=serializers.IntegerField(), help_text="Companies you manage.")
    action = serializers.ChoiceField(choices=["add", "remove"])
    id_number = serializers.CharField(help_text="The collaborator's NIF, NIE or passport.")
    name = serializers.CharField(required=False, allow_blank=True, help_text="For someone new to us.")
    email = serializers.CharField(required=False, allow_blank=True, help_text="For someone new to us.")
    role = serializers.ChoiceField(
        choices=["authorised_full", "authorised_readonly"], required=False, help_text="Access given when adding."
    )


class CollaboratorBatchItemSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name")

    class Meta:
        model = CollaboratorBatchItem
        fields = ["customer", "customer_name", "outcome", "undo"]


class CollaboratorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "id_number"]


class CollaboratorBatchSerializer(serializers.ModelSerializer):
    collaborator = CollaboratorSerializer()
    items = serializers.SerializerMethodField()

    class Meta:
        model = CollaboratorBatch
        fields = ["reference", "kind", "collaborator", "role", "created_at", "undone_at", "items"]

    def get_items(self, batch: CollaboratorBatch) -> list[dict]:
        rows = self.context.get("items")
        return CollaboratorBatchItemSerializer(rows, many=True).data if rows is not None else []


# -- webhooks -------------------------------------------------------------------------------------------------

EVENT_CHOICES = [value for value, _label in SUBSCRIBABLE]


class EndpointSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="customer_id", allow_null=True, help_text="Null: every company.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))
    secret_hint = serializers.CharField(help_text="The signing secret's last characters.")

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "customer", "events", "is_active", "created_at", "secret_hint"]


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret: shown this once. Keep it in your software.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointInputSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="A public https:// address.")
    description = serializers.CharField(required=False, allow_blank=True)
    customer = serializers.IntegerField(required=False, allow_null=True, help_text="Null or left out: every company.")
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1)


class EndpointChangeSerializer(serializers.Serializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1, required=False)
    is_active = serializers.BooleanField(required=False, help_text="False: nothing is sent until enabled again.")


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, in force at once: shown this once.")


class EventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")

    class Meta:
        model = Event
        fields = ["id", "type", "created_at"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started_at", "finished_at", "status_code", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    event = EventSerializer()
    attempts = AttemptSerializer(many=True, help_text="Last attempt first.")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "status",
            "withheld",
            "attempt_count",
            "created_at",
            "next_attempt_at",
            "finished_at",
            "attempts",
        ]


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalAccessToken
        fields = ["name", "hint", "scope", "created_at", "expires_at"]
