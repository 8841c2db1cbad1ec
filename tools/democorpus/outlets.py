"""The invented outlets of the demo corpus. Names and domains are fictional."""

from __future__ import annotations

from democorpus.model import Outlet

OUTLETS: dict[str, Outlet] = {
    o.key: o
    for o in [
        Outlet(
            "atlas",
            "الأطلس اليوم",
            "Atlas Alyoum",
            "https://www.atlasalyoum.ma",
            "ma_wordpress",
            "+01:00",
            "MA",
        ),
        Outlet(
            "sawt",
            "صوت العاصمة",
            "Sawt Al Assima",
            "https://www.sawtalassima.ma",
            "ma_wordpress",
            "+01:00",
            "MA",
        ),
        Outlet(
            "nafida",
            "نافذة الصحف",
            "Nafidat Assuhuf",
            "https://www.nafidassuhuf.com",
            "aggregator",
            "+01:00",
            "MA",
        ),
        Outlet(
            "arz",
            "صدى الأرز",
            "Sada Al Arz",
            "https://www.sadaalarz.com.lb",
            "levant",
            "+03:00",
            "LB",
        ),
        Outlet(
            "nile",
            "بوابة النيل",
            "Bawabat Al Nil",
            "https://www.bawabatalnil.com.eg",
            "eg_portal",
            "+02:00",
            "EG",
        ),
        Outlet(
            "khaleej",
            "الخليج الآن",
            "Al Khaleej Alaan",
            "https://www.khaleejalaan.ae",
            "gulf_amp",
            "+04:00",
            "AE",
        ),
        Outlet(
            "mashhad",
            "المشهد العربي",
            "Al Mashhad Al Arabi",
            "https://www.almashhadalarabi.net",
            "pan_arab",
            "+03:00",
            "GB",
        ),
    ]
}
