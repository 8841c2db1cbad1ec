"""Arabic function words dropped by `analyse`, in normalised spelling.

Only prepositions, conjunctions, pronouns, demonstratives, relatives and particles: words that carry no
topic. Numbers are never stopwords, and neither are content words that are merely frequent (قال, العام,
الحكومة): a query for them must still find them.
"""

from __future__ import annotations

from marsad.arabic.normalise import normalise

_WORDS = """
في من على الى إلى عن مع عند لدى حتى منذ مذ خلال بين ضد نحو حول دون عبر قبل بعد فوق تحت امام أمام وراء
ب ل ك و ف ثم او أو ام أم بل لكن لكن ولكن لا لم لن ما ماذا متى أين اين كيف هل قد لقد إن ان أن إنّ أنّ كان
كانت يكون تكون إذ اذ إذا اذا لو لولا كي لكي لأن لان حيث كما كذلك أيضا ايضا إلا الا غير سوى كل بعض أي اي
أيها هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك اولئك هنا هناك هنالك الذي التي الذين اللذين اللتين اللاتي
اللواتي اللذان اللتان هو هي هم هن هما أنا انا نحن أنت انت أنتم انتم أنتن إياه اياه به بها بهم له لها
لهم لهما فيه فيها فيهم منه منها منهم عليه عليها عليهم إليه اليه إليها اليها إليهم اليهم عنه عنها عنهم
معه معها معهم وفي ومن وعلى والى وإلى وعن ومع وهو وهي وهم وقد ولا ولم ولن وما وأن وان وإن وكان وكانت
وهذا وهذه وذلك وتلك والذي والتي والذين كما فيما بينما عندما مما ممن عما عمن فإن فان بأن بان لأنه لانه
إنه انه أنه إنها انها أنها يا أي بين وبين
"""

STOPWORDS: frozenset[str] = frozenset(normalise(word) for word in _WORDS.split())
