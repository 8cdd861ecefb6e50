"""The sharing stage: who may read what, and how records leave and enter the instance.

Accounts (organisations, users, roles, API tokens and login sessions) and the
audit log live here (``accounts``, ``audit``), beside the STIX 2.1 mapping
(``stix``) and, later, TAXII and partner sync. The stage reads and writes
through ``vigil.store``; the API, the dashboard and the CLI call it.
"""
