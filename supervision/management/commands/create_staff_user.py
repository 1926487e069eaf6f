import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.audit import Actor
from supervision import services

PASSWORD_VARIABLE = "STAFF_USER_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create a staff user in a staff group. The password is asked for, or read from {PASSWORD_VARIABLE} "
        "(never an argument, which would show in the process list and the shell history). "
        "The user sets up the second factor (TOTP) at first login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--group", required=True, help="verifiers, callcenter_agents or supervisors")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, group, first_name, last_name, **options):
        with translation.override(
            "en"
        ):  # like the rest of this command's output (the validators' messages are translated)
            self.create(username=username, email=email, group=group, first_name=first_name, last_name=last_name)

    def create(self, *, username: str, email: str, group: str, first_name: str, last_name: str) -> None:
        try:
            services.check_new_staff_user(username=username.strip(), email=email.strip(), group=group)
            user = services.create_staff_user(
                username=username,
                email=email,
                group=group,
                password=self.password(),
                first_name=first_name,
                last_name=last_name,
                actor=Actor.system("create_staff_user"),
            )
        except services.StaffUserError as error:
            raise CommandError(f"refused ({error.code}): {error.message}", returncode=2) from None
        self.stdout.write(
            f"staff user {user.username!r} created in {group!r}. At first login at /staff/login/ they set up "
            "their second factor: an authenticator app (TOTP) and recovery codes, at /staff/mfa/enrol/."
        )

    def password(self) -> str:
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not sys.stdin.isatty():
            raise CommandError(f"no terminal to ask for the password: set {PASSWORD_VARIABLE}", returncode=2)
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ", returncode=2)
        return first
