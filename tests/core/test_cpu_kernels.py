"""The package caps torch's CPU kernels at AVX2, so a seed gives the same numbers on every machine."""
import subprocess
import sys

import pytest

from explainer.core.common.cpu_kernels import has_avx2, pin_cpu_kernels


def _cpuinfo(tmp_path, flags: str):
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nmodel name\t: Test\nflags\t\t: {flags}\n\n", encoding="ascii")
    return path


def test_avx2_is_read_from_the_flags_line(tmp_path):
    assert has_avx2(_cpuinfo(tmp_path, "fpu sse sse2 avx avx2 fma"))
    assert not has_avx2(_cpuinfo(tmp_path, "fpu sse sse2 avx avx2_vnni_like"))
    assert not has_avx2(tmp_path / "missing")


def test_the_choice_is_made_only_where_avx2_exists_and_never_over_the_user(tmp_path):
    env = {}
    pin_cpu_kernels(env, _cpuinfo(tmp_path, "sse2 avx"))
    assert env == {"MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
    env = {"ATEN_CPU_CAPABILITY": "default"}
    pin_cpu_kernels(env, _cpuinfo(tmp_path, "sse2 avx avx2"))
    assert env["ATEN_CPU_CAPABILITY"] == "default"
    env = {}
    pin_cpu_kernels(env, _cpuinfo(tmp_path, "sse2 avx avx2"))
    assert env["ATEN_CPU_CAPABILITY"] == "avx2"


@pytest.mark.slow
def test_torch_imported_after_the_package_runs_the_pinned_kernels():
    code = "import explainer, torch; print(torch.backends.cpu.get_cpu_capability())"
    env = {k: v for k, v in __import__("os").environ.items() if k != "ATEN_CPU_CAPABILITY"}
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           check=True).stdout.strip()
    assert shown == ("AVX2" if has_avx2() else shown)
    assert shown != "AVX512"
