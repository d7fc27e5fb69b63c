"""What the book's figures share: colours for the forward and backward pass.

Forward values are blue and gradients red, in every chapter, as readers know
them from drawings of backpropagation.
"""

#: Forward values, activations.
VALUE_COLOR = "#1f4e9c"
#: Derivatives and gradients.
GRADIENT_COLOR = "#c0392b"

#: Font size of every text in explorer frames: drawn at 80 dpi and shown
#: pixel for pixel, 11 pt in the figure is about 9 pt on screen.
EXPLORER_FONTSIZE = 11


def true_minus(text):
    """Replace a formatted number's hyphens by true minus signs (U+2212)."""
    return text.replace("-", "\u2212")


def number_text(value, spec):
    """``format(value, spec)`` with true minus signs, for plain text."""
    return true_minus(format(value, spec))
