def post_init_hook(env):
    """Name days for the persons that existed before the name-day calendar.

    The stored ``name_day_id`` is computed for the existing partners when its
    column is created, before ``data/crm.name.day.csv`` is loaded: compute it
    again now that the calendar is there.
    """
    persons = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("is_company", "=", False), ("name_day_id", "=", False)])
    )
    env.add_to_compute(persons._fields["name_day_id"], persons)
    persons.flush_recordset(["name_day_id"])
