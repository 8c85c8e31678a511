"""Size classes of SPEC section 8."""

SIZE_CLASSES = ["lt5k", "5k_20k", "20k_100k", "gt100k", "district"]


def size_class_of(*, level: str, kind: str, population: int | None) -> str:
    if level == "kreis" and kind not in {"kreisfreie_stadt", "stadtkreis"}:
        return "district"
    if population is None:
        return "district"
    if population < 5_000:
        return "lt5k"
    if population < 20_000:
        return "5k_20k"
    if population < 100_000:
        return "20k_100k"
    return "gt100k"
