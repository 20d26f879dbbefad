"""Our own date formats for a language where Django's do not suit our readers (FORMAT_MODULE_PATH).

Django looks here first and takes what a module leaves out from its own `django.conf.locale`.
"""
