from . import crm_document_check_in
from . import crm_document_scan
