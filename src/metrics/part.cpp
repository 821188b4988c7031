// placeholder so the part library is never empty; removed once the part has real sources
