from . import crm_occasion
