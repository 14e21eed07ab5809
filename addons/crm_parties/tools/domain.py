def ids_read_by_id(domain):
    """The ids of a domain that is exactly ``[("id", "in", ids)]``, as
    ``fetch()`` searches with to read records by id; None for any other.

    The SQL views of this addon narrow such reads to the rows behind those
    ids first: filtered on the view's computed id alone, PostgreSQL would
    build the whole view before keeping them.
    """
    if (
        len(domain) == 1
        and tuple(domain[0][:2]) == ("id", "in")
        and isinstance(domain[0][2], list | tuple)
        and domain[0][2]
    ):
        return list(domain[0][2])
    return None
