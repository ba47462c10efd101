"""The desktop app (`restorer-gui`): the only package that imports Qt.

One widget or worker per module: ``app`` (entry point), ``main_window`` + ``window_commands``
+ ``actions`` (the window, its commands, menus and toolbar), ``queue_model`` / ``queue_panel``
(the batch queue), ``thumbnails``, ``importer`` (files and folders to photos), ``runner`` (the
model-runner thread) and ``batch_controller`` (queue -> runner), ``compare_view`` + ``pyramid``
(before/after), ``display`` + ``preview`` (what the view shows, adjusted live),
``adjust_panel``, ``model_picker`` + ``catalog``, ``output_panel`` + ``export``,
``message_bar``, ``settings`` (QSettings), ``rendering`` (pixels, no Qt), ``tasks`` (thread
pools) and ``icons``. torch is imported only on worker threads.
"""
