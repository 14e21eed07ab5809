def post_init_hook(env):
    """Aging buckets for the companies that existed before the install."""
    env["res.company"].search([])._crm_aging_sync_buckets()
