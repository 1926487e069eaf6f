"""The supervisors' pages on the staff site (/staff/supervision/): the requests put on hold by an objection,
and a person's identity with its audited correction and the login invitation.

Its one model is ``Heartbeat`` (beat's heartbeat per queue, read by ``/readyz`` and ``/metrics``); the staff site
mounts ``supervision.urls`` (backoffice/staff.py) and the templates live in the project's templates/supervision/.
"""
