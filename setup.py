"""Map the repo's top-level folders onto subpackages of one import package, ``genbi``.

The design card keeps ``assistant/``, ``tools/``, ``semantic_layer/`` ... at the top of the
repository, but installing them under those names would put modules called ``tools`` and
``eval`` at the top of site-packages. Everything installs as ``genbi.<folder>`` instead.
"""

from setuptools import find_packages, setup

FOLDERS = {
    "genbi": "genbi",
    "genbi.semantic_layer": "semantic_layer",
    "genbi.tools": "tools",
    "genbi.assistant": "assistant",
    "genbi.prompts": "prompts",
    "genbi.ui": "ui",
    "genbi.eval": "eval",
    "genbi.demo": "demo",
}

packages: list[str] = []
for package, folder in FOLDERS.items():
    packages.append(package)
    packages.extend(f"{package}.{sub}" for sub in find_packages(folder))

setup(packages=packages, package_dir=FOLDERS)
