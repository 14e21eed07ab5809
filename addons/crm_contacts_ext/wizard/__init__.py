from . import crm_pesel_wizard
