"""dcat.jsonld, dcat.ttl and ckan_package.json in every release and the DCAT feed beside them:
valid RDF in both syntaxes, DCAT-AP-DONL 1.1 (the project's shapes) and DCAT-AP 3.0.1 (the
official shapes), only allowed values, real sizes and checksums, public URLs only."""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from pipeline.core.config import load_config
from pipeline.core.errors import BuildFailed, ConfigurationInvalid
from pipeline.core.files import json_bytes, sha256_file
from pipeline.core.paths import Project
from pipeline.core.schemas import TABLES
from pipeline.orchestrate.runner import publish_local
from pipeline.release.records import versions
from pipeline.release.verify import verify_dataset
from pipeline.render import dcat
from pipeline.render.dcat import graph, vocabulary
from pipeline.render.dcat.vocabulary import DCAT, DCT, OVERHEID, SPDX, VCARD
from tests.helpers import DATA, REPO, copy_project

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it
# rdflib's own JSON-LD parser still uses ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SHAPES = REPO / "schemas" / "dcat" / "donl-shapes.ttl"
MANDATORY = REPO / "schemas" / "dcat" / "ckan-mandatory-fields.json"
DCAT_AP = DATA / "dcat-ap-3.0.1"
FORMATS = {"dcat.ttl": "turtle", "dcat.jsonld": "json-ld"}
VERSIONS = ["1.0.0", "1.0.1"]
RDF_FILES = [f"{v}/{name}" for v in VERSIONS for name in FORMATS] + list(FORMATS)
# The values of "The values werkdata emits" (the project's portal notes).
EMITTED = {
    DCT.license: {"http://creativecommons.org/publicdomain/zero/1.0/deed.nl"},
    DCT.publisher: {
        "http://standaarden.overheid.nl/owms/terms/"
        "Ministerie_van_Binnenlandse_Zaken_en_Koninkrijksrelaties"
    },
    DCAT.theme: {"http://standaarden.overheid.nl/owms/terms/Werk_(thema)"},
    DCT.accessRights: {"http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
    DCT.accrualPeriodicity: {"http://publications.europa.eu/resource/authority/frequency/IRREG"},
}


def fill_in_a_value(project: Project) -> None:
    """Set the 2024 figure the first release has as missing: 38% (status A, confidence C)."""
    path = project.raw / "2024" / "findings.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    key = "openbaar_bestuur,talent_aantrekken_voldoende,"
    (index,) = [i for i, line in enumerate(lines) if line.startswith(key)]
    cells = lines[index].split(",")
    cells[2:6] = ["38", "A", "38%", "C"]
    lines[index] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory) -> Project:
    """A project copy published twice: 1.0.0, then 1.0.1 with one value filled in."""
    project = copy_project(tmp_path_factory.mktemp("dcat") / "project")
    publish_local(project)
    fill_in_a_value(project)
    assert publish_local(project).version == "1.0.1"
    return project


@pytest.fixture(scope="module")
def root(two_releases: Project) -> Path:
    return two_releases.dataset_dir()


@pytest.fixture(scope="module")
def stable(two_releases: Project) -> str:
    return f"{load_config(two_releases.config_file).base_url}/werkonderzoek"


def parse(path: Path) -> Graph:
    return Graph().parse(path, format=FORMATS[path.name])


def shacl(data: Graph, shapes: Path) -> tuple[bool, Graph, str]:
    return validate(data, shacl_graph=Graph().parse(shapes, format="turtle"), inference="none")


def dataset_node(graph: Graph) -> URIRef:
    (node,) = graph.subjects(RDF.type, DCAT.Dataset)
    return node


def local_path(root: Path, url: str, stable: str) -> Path:
    assert url.startswith(stable + "/"), url
    return root / url.removeprefix(stable + "/")


def test_every_release_and_the_feed_have_their_dcat_files(root: Path):
    assert versions(root) == VERSIONS
    for version in VERSIONS:
        names = {p.name for p in (root / version).iterdir()}
        assert {"dcat.jsonld", "dcat.ttl", "ckan_package.json"} <= names
        sums = (root / version / "SHA256SUMS").read_text(encoding="utf-8")
        assert all(f"  {name}\n" in sums for name in ("dcat.jsonld", "dcat.ttl"))
    assert (root / "dcat.jsonld").is_file() and (root / "dcat.ttl").is_file()
    assert verify_dataset(root) == (VERSIONS, [])


@pytest.mark.parametrize("where", [*VERSIONS, "feed"])
def test_jsonld_and_turtle_say_the_same(root: Path, where: str):
    folder = root if where == "feed" else root / where
    turtle, jsonld = parse(folder / "dcat.ttl"), parse(folder / "dcat.jsonld")
    assert len(turtle) > 300
    assert isomorphic(turtle, jsonld)


@pytest.mark.parametrize("name", RDF_FILES)
def test_conforms_to_the_project_donl_shapes(root: Path, name: str):
    conforms, _, text = shacl(parse(root / name), SHAPES)
    assert conforms, text


@pytest.mark.parametrize("name", RDF_FILES)
def test_conforms_to_the_dcat_ap_3_shapes(root: Path, name: str):
    conforms, _, text = shacl(parse(root / name), DCAT_AP / "shapes.ttl")
    assert conforms, text


@pytest.mark.parametrize("version", VERSIONS)
def test_a_release_conforms_to_the_dcat_ap_3_ranges(root: Path, version: str):
    conforms, _, text = shacl(parse(root / version / "dcat.ttl"), DCAT_AP / "range.ttl")
    assert conforms, text


def test_the_feed_breaks_only_the_has_version_range_on_purpose(root: Path):
    """range.ttl wants every dct:hasVersion value typed dcat:Dataset; the feed leaves the
    versions untyped so that a harvester makes one portal dataset, not one per version."""
    conforms, report, _ = shacl(parse(root / "dcat.ttl"), DCAT_AP / "range.ttl")
    sh = "http://www.w3.org/ns/shacl#"
    paths = {
        str(report.value(r, URIRef(sh + "resultPath")))
        for r in report.subjects(RDF.type, URIRef(sh + "ValidationResult"))
    }
    assert (conforms, paths) == (False, {str(DCT.hasVersion)})


def test_the_project_shapes_catch_a_bad_contact_point_and_a_date_without_time(root: Path):
    graph = parse(root / "1.0.1" / "dcat.ttl")
    dataset = dataset_node(graph)
    contact = graph.value(dataset, DCAT.contactPoint)
    graph.remove((contact, VCARD.hasEmail, None))
    graph.remove((contact, VCARD.hasURL, None))
    graph.set((dataset, DCT.modified, Literal("2025-01-01", datatype=XSD.date)))
    graph.remove((dataset, OVERHEID.authority, None))

    conforms, _, text = shacl(graph, SHAPES)

    assert not conforms
    assert "modified: one xsd:dateTime written YYYY-MM-DDThh:mm:ss" in text
    assert "OrConstraintComponent" in text  # no e-mail, website or phone
    assert "overheid:authority" in text or str(OVERHEID.authority) in text


def test_every_controlled_value_is_allowed_and_the_ones_the_portal_notes_chose(root: Path):
    allowed = vocabulary.allowed_values(REPO / "schemas")
    for name in RDF_FILES:
        path = root / name
        graph = parse(path)
        for role in allowed.values():
            for prop in role["properties"]:
                used = {str(o) for o in graph.objects(None, URIRef(prop))}
                assert used, (path.name, prop)
                assert used <= set(role["values"]), (path, prop, used)
        for prop, expected in EMITTED.items():
            assert {str(o) for o in graph.objects(None, prop)} == expected
        assert {str(o) for o in graph.objects(None, OVERHEID.authority)} == EMITTED[DCT.publisher]


def test_a_licence_not_on_the_list_refuses_the_release(project: Project, monkeypatch):
    wrong = "https://creativecommons.org/publicdomain/zero/1.0/"
    monkeypatch.setattr(graph, "LICENCE", URIRef(wrong))  # the licence the graph writes

    with pytest.raises(BuildFailed, match=re.escape(wrong)):
        publish_local(project)

    root = project.dataset_dir()
    assert versions(root) == []
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == []


def test_a_base_url_without_https_refuses_the_release(project: Project):
    config = project.config_file
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"https://', '"http://', 1), encoding="utf-8")

    with pytest.raises(ConfigurationInvalid, match="not https"):
        publish_local(project)

    assert versions(project.dataset_dir()) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_every_distribution_has_the_real_size_and_checksum(root: Path, stable: str, version):
    graph = parse(root / version / "dcat.ttl")
    dataset = dataset_node(graph)
    checked = []
    for dist in graph.objects(dataset, DCAT.distribution):
        url = str(graph.value(dist, DCAT.downloadURL))
        assert str(graph.value(dist, DCAT.accessURL)) == url
        path = local_path(root, url, stable)
        checksum = graph.value(dist, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert graph.value(dist, DCAT.byteSize).toPython() == path.stat().st_size
        assert str(graph.value(checksum, SPDX.checksumValue)) == sha256_file(path)
        checked.append(path.relative_to(root / version).as_posix())
    data = sorted(p.relative_to(root / version).as_posix() for p in (root / version).glob("data/*"))
    assert len(data) == 2 * len(TABLES)
    assert sorted(checked) == sorted([*data, "datapackage.json", "index.html"])


def test_urls_are_public_and_no_local_detail_leaks(root: Path, stable: str, two_releases):
    assert stable.startswith("https://")
    local = [str(two_releases.root), str(Path.home()), "file:"]
    words = [socket.gethostname(), getpass.getuser()]
    for version in VERSIONS:
        for name in ("dcat.ttl", "dcat.jsonld", "ckan_package.json"):
            text = (root / version / name).read_text(encoding="utf-8")
            assert not [x for x in local if x in text], name
            assert not [w for w in words if re.search(rf"\b{re.escape(w)}\b", text)], name
        graph = parse(root / version / "dcat.ttl")
        for prop in (DCAT.accessURL, DCAT.downloadURL, DCAT.landingPage, DCT.conformsTo):
            for url in graph.objects(None, prop):
                assert str(url).startswith(f"{stable}/{version}/"), url
    for name in ("dcat.ttl", "dcat.jsonld"):
        text = (root / name).read_text(encoding="utf-8")
        assert not [x for x in local if x in text]


def test_a_release_describes_itself_as_a_version_of_the_stable_dataset(root: Path, stable):
    first = json.loads((root / "1.0.0" / "datapackage.json").read_text("utf-8"))["created"]
    for version in VERSIONS:
        graph = parse(root / version / "dcat.ttl")
        dataset = dataset_node(graph)
        created = json.loads((root / version / "datapackage.json").read_text("utf-8"))["created"]
        assert dataset == URIRef(f"{stable}/{version}")
        assert graph.value(dataset, DCT.identifier) == Literal(str(dataset), datatype=XSD.anyURI)
        assert graph.value(dataset, DCT.isVersionOf) == URIRef(stable)
        assert str(graph.value(dataset, DCT.modified)) == created.removesuffix("Z")
        assert str(graph.value(dataset, DCT.issued)) == first.removesuffix("Z")
        assert {(t.value, t.language) for t in graph.objects(dataset, DCT["title"])} == {
            ("Werkonderzoek: gepubliceerde uitkomsten", "nl"),
            ("Werkonderzoek: published findings", "en"),
        }
        period = graph.value(dataset, DCT.temporal)
        assert str(graph.value(period, DCAT.startDate)) == "2019-01-01"
        assert str(graph.value(period, DCAT.endDate)) == "2024-12-31"
        assert graph.value(dataset, DCAT.landingPage) == URIRef(f"{dataset}/index.html")
    graph = parse(root / "1.0.1" / "dcat.ttl")
    notes = graph.value(dataset_node(graph), URIRef("http://www.w3.org/ns/adms#versionNotes"))
    assert str(notes) == "Bump: patch. 1 row(s) changed."


def test_the_feed_is_the_stable_dataset_with_every_version(root: Path, stable: str):
    feed = parse(root / "dcat.ttl")
    latest = parse(root / "1.0.1" / "dcat.ttl")
    dataset = dataset_node(feed)

    assert dataset == URIRef(stable)
    assert feed.value(dataset, DCT.identifier) == Literal(stable, datatype=XSD.anyURI)
    assert feed.value(dataset, DCT.isVersionOf) is None
    assert set(feed.objects(dataset, DCT.hasVersion)) == {URIRef(f"{stable}/{v}") for v in VERSIONS}
    for version in VERSIONS:
        assert set(feed.objects(URIRef(f"{stable}/{version}"), RDFS.seeAlso)) == {
            URIRef(f"{stable}/{version}/dcat.jsonld"),
            URIRef(f"{stable}/{version}/dcat.ttl"),
        }
    latest_node = dataset_node(latest)
    assert feed.value(dataset, DCT.modified) == latest.value(latest_node, DCT.modified)
    assert set(feed.objects(dataset, DCAT.distribution)) == set(
        latest.objects(latest_node, DCAT.distribution)
    )


def test_the_feed_waits_for_a_latest_release_with_dcat(tmp_path: Path):
    (tmp_path / "1.0.0").mkdir()
    catalog = {"latest": "1.0.0", "versions": [{"version": "1.0.0"}]}
    assert dcat.root_files(tmp_path, catalog) == {}


def test_output_does_not_depend_on_hash_seed_or_insertion_order(root: Path):
    """Re-serialising the parsed files in fresh interpreters gives the same bytes."""
    script = (
        "import json, sys; from pathlib import Path; from rdflib import Graph\n"
        "from pipeline.render import dcat\nfrom pipeline.render.dcat import graph\n"
        "root = Path(sys.argv[1])\n"
        "g = graph.new_graph(); g.parse(root / '1.0.1' / 'dcat.ttl')\n"
        "catalog = json.loads((root / 'catalog.json').read_text())\n"
        "feed = dcat.root_files(root, catalog)\n"
        "ok = [graph.turtle(g) == (root / '1.0.1' / 'dcat.ttl').read_bytes(),\n"
        "      graph.jsonld(g) == (root / '1.0.1' / 'dcat.jsonld').read_bytes(),\n"
        "      feed['dcat.ttl'] == (root / 'dcat.ttl').read_bytes(),\n"
        "      feed['dcat.jsonld'] == (root / 'dcat.jsonld').read_bytes()]\n"
        "print(ok)\n"
    )
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, str(root)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "[True, True, True, True]", out.stderr


def test_the_ckan_package_has_every_donl_mandatory_field(root: Path, stable: str):
    spec = json.loads(MANDATORY.read_text(encoding="utf-8"))
    for version in VERSIONS:
        package = json.loads((root / version / "ckan_package.json").read_text("utf-8"))
        missing = [f for f in spec["ckan_core"] + spec["dataset"] if not package.get(f)]
        assert missing == []
        assert any(package.get(f) for f in spec["contact_point_one_of"])
        for field in spec["datetime_fields"]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", package[field]), field
        assert package["identifier"] == stable
        assert package["version"] == version
        assert isinstance(package["language"], list) and isinstance(package["theme"], list)
        allowed = vocabulary.allowed_values(REPO / "schemas")
        assert package["license_id"] in allowed["license"]["values"]
        assert {package["authority"], package["publisher"]} <= set(allowed["publisher"]["values"])
        assert len(package["resources"]) == 2 * len(TABLES) + 2
        for res in package["resources"]:
            assert [f for f in spec["resource"] if not res.get(f)] == []
            path = local_path(root, res["url"], stable)
            assert (res["size"], res["hash"]) == (path.stat().st_size, sha256_file(path))
            assert res["format"] in allowed["file_type"]["values"]
            assert res["media_type"] in allowed["media_type"]["values"]
    later = json.loads((root / "1.0.1" / "ckan_package.json").read_text("utf-8"))
    assert later["has_version"] == [f"{stable}/{v}" for v in VERSIONS]


def test_every_json_file_comes_from_the_one_writer(root: Path):
    """ckan_package.json and datapackage.json are written alike (core.files.json_bytes, keys in
    the record's order); dcat.jsonld the same writer over its sorted form."""
    for version in VERSIONS:
        for name in ("ckan_package.json", "datapackage.json", "dcat.jsonld"):
            data = (root / version / name).read_bytes()
            assert data == json_bytes(json.loads(data)), name
        package = json.loads((root / version / "ckan_package.json").read_bytes())
        assert list(package)[:3] == ["name", "identifier", "title"]
        jsonld = json.loads((root / version / "dcat.jsonld").read_bytes())
        assert jsonld == graph.canonical(jsonld)
        assert list(jsonld) == sorted(jsonld)
