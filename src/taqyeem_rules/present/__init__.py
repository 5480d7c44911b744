"""Everything people read: the message catalogue (English and Arabic), value rendering,
and one formatter per result type. The core returns data; this package turns it into
text. Nothing here computes a score.
"""

from .catalogue import Catalogue, catalogue

__all__ = ["Catalogue", "catalogue"]
