"""Image I/O, colour spaces, inference at any resolution, post-processing and batch jobs.

Arrays follow one convention unless a docstring says otherwise: RGB images are ``float32``
``(H, W, 3)`` in ``[0, 1]`` (sRGB-encoded); Lab images are ``float32`` ``(H, W, 3)`` with L in
``[0, 100]`` and a, b roughly in ``[-110, 110]``; L alone is ``(H, W)``.
"""
