"""OAuth2 for third-party apps (django-oauth-toolkit): a person lets an app registered by the utility act for them
through the API, with the authorization code flow and PKCE (S256), and can take that back in the customer area.

- ``server``: the one flow offered (code + refresh, nothing else), the redirect rule, the checks on the person;
- ``services``: the writes of the customer area (consent noted in the audit log, an app's access revoked);
- ``views`` / ``urls``: the consent page, the token endpoints, the customer area's page of authorised apps;
- ``admin``: app registration, for superusers only.

An OAuth access token acts as its person exactly like a personal access token (``api.authentication``).
"""
