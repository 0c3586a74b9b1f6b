"""resources/ sits at the top of the checkout; in a wheel it ships as the package
explainer.resources (pyproject.toml cannot add a mapped package to an automatic package search)."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["explainer", "explainer.*"]) + ["explainer.resources"],
    package_dir={"explainer.resources": "resources"},
    package_data={"explainer.resources": ["**/*.json", "**/*.npz", "**/*.md", "**/*.txt", "**/*.png", "**/*.svg"]},
)
