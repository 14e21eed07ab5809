from . import (
    account_move_line,
    crm_discount_level,
    crm_group_role,
    crm_relationship_type,
    crm_satisfaction_assessment,
    crm_timeline_event,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
)
