"""빌드 캐시(build cache): 같은 단계를 다시 만들지 않고 전에 만든 레이어를 다시 씁니다.

키는 도커(BuildKit)처럼 만듭니다. 한 단계의 키 = 바로 앞 레이어 단계의 키 + 명령 +
(COPY/ADD면) 복사할 파일들의 내용 해시 + (RUN이면) 환경 변수·작업 폴더·사용자. 그래서

- 명령 글자가 같고 앞 단계가 모두 같으면 **캐시 적중(hit)**: 레이어를 다시 쓰고 명령은 실행하지 않습니다.
- COPY할 파일 중 하나라도 바뀌면 그 COPY부터 **캐시 실패(miss)**, 뒤의 단계도 모두 다시 실행합니다
  (앞 단계의 키가 바뀌었으므로).
- RUN의 키에는 파일 내용이 들어가지 않습니다: ``RUN apt-get update`` 는 글자가 같으면 언제나 적중합니다.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..layer import Layer


def cache_key(parent: str, *parts: object) -> str:
    """앞 단계의 키와 이 단계의 내용을 합친 새 키(sha256 16진수)."""
    payload = json.dumps([parent, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheRecord:
    layer: Layer
    output: str


class BuildCache:
    """빌드 캐시. 여러 번의 ``il.build(..., cache=cache)`` 에 같은 객체를 주면 단계를 다시 씁니다."""

    def __init__(self) -> None:
        self._records: "dict[str, CacheRecord]" = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> "CacheRecord | None":
        record = self._records.get(key)
        if record is None:
            self.misses += 1
        else:
            self.hits += 1
        return record

    def put(self, key: str, layer: Layer, output: str = "") -> None:
        self._records[key] = CacheRecord(layer, output)

    def clear(self) -> None:
        """캐시를 비웁니다(``docker builder prune`` 과 같은 생각)."""
        self._records.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"<BuildCache 단계 {len(self)}개, 적중 {self.hits}번, 실패 {self.misses}번>"
