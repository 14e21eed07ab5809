from . import crm_service_cost_report
