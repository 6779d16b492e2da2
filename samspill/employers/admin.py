"""Nothing of employers is in Django admin: the employer base (employers, their contacts and
mentors, and the history rows) is an organisation's own business data, changed only on its
pages through the services that keep the history and write the audit trail (see
core/admin_site.py)."""
