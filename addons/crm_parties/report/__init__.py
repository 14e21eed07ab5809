from . import crm_aging_line
from . import crm_payment_settlement
from . import crm_purchase_history
