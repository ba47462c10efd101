"""The desktop app (`restorer-gui`): the only package that imports Qt.

``session`` is the app's state in plain Python (queue, selection, the batch's rules; no Qt);
everything else is a view of it or a worker reporting to it. One widget or worker per module:
``app`` (entry point), ``main_window`` + ``window_commands`` + ``actions`` (the window, its
commands, menus and toolbar), ``queue_model`` / ``queue_panel`` (the queue on screen),
``thumbnails``, ``importer`` (files and folders to photos), ``runner`` (colorizes the session's
jobs), ``compare_view`` + ``pyramid`` (before/after), ``display`` + ``preview`` (what the view
shows, adjusted live), ``adjust_panel``, ``model_picker`` + ``catalog``, ``output_panel`` +
``export``, ``message_bar``, ``settings`` (QSettings), ``rendering`` (preview pixels, no Qt),
``workers`` (superqt workers on named thread pools), ``about_*`` and ``training_*`` (the wizard)
and ``icons``. torch is imported only on worker threads.
"""
