"""Nothing of loops is in Django admin: a loop's gatherings, seats and invitations name
participants and are the organisation's own work, changed only through the services that keep
the square Latin and write the audit trail (see core/admin_site.py)."""
