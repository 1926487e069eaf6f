from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """django.contrib.staticfiles without what Viewflow ships and no page of ours loads: the ``node_modules``
    folders beside its fonts and scripts (sources whose CSS names files that are not there, which the manifest
    storage refuses) and ``viewflow/js/contrib`` (22 MB of Plotly/Dash for viewflow.contrib, not installed),
    which would make collectstatic compress for minutes."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules", "viewflow/js/contrib/*"]
