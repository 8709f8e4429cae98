"""Watching numbers over time: pinned answers on dashboards, and monitors (scheduled reports
and alerts).

Both store what was asked — a query spec or a tool call, never its rows — and re-run it
through the assistant's guarded path (roles, SQL guard, masking, audit) with the date of
the run, so a pin opened next month shows next month's numbers.
"""
