"""classify_many on a Dask cluster, through joblib's Dask backend (the [dask] extra)."""
import pytest

from archday_nlp import classify, classify_many

TEXTS = ["举办档案图片展。发放宣传折页三百份。", "", "通过短信平台群发短信两千余条。", "组织档案业务培训。"] * 6


def test_a_dask_cluster_gives_the_same_reports():
    distributed = pytest.importorskip("dask.distributed")
    import joblib

    expected = [classify(t).to_dict() for t in TEXTS]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster), joblib.parallel_config(backend="dask"):
            reports = classify_many(TEXTS, n_jobs=2)
    assert [r.to_dict() for r in reports] == expected
