"""The Celery queues, each consumed by its own pool of workers; beat sends a heartbeat to each, and /readyz and the
supervisors' board read them back (a plain module: the Celery app imports it before Django is set up)."""

#: Every queue a worker must consume (contracts: /readyz has a check per queue).
QUEUES = ("celery", "ocr", "mail")
