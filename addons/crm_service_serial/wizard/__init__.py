from . import crm_service_scan
