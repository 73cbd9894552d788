"""JupyterHub for one class on one server: `jupyterhub -f classroom/jupyterhub_config.py` (as root).

Students and the teacher are Linux accounts (see accounts.py) and sign in with their password (PAM).
Each gets a JupyterLab server running as their own account, with a memory limit, stopped after an
hour without use. Settings a school changes are read from the environment (defaults in brackets):

  CLASSROOM_GROUP [jupyter-class]   the Linux group whose members may sign in
  CLASSROOM_TEACHERS [teacher]      comma-separated: hub admins, and nbgrader's teachers
  CLASSROOM_MEM_LIMIT [2G]          memory per student (server + kernels + whatever they start)
  CLASSROOM_IDLE_TIMEOUT [3600]     seconds without use before a server is stopped
  CLASSROOM_STATE [/srv/jupyterhub] the hub's database and cookie secret
  CLASSROOM_EXCHANGE [/srv/nbgrader/exchange], CLASSROOM_COURSE_ID [imagelib-course]   nbgrader's exchange
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

c = get_config()  # noqa: F821 (JupyterHub's config loader defines get_config)

group = os.environ.get("CLASSROOM_GROUP", "jupyter-class")
teachers = {name for name in os.environ.get("CLASSROOM_TEACHERS", "teacher").split(",") if name}
state = Path(os.environ.get("CLASSROOM_STATE", "/srv/jupyterhub"))
exchange = Path(os.environ.get("CLASSROOM_EXCHANGE", "/srv/nbgrader/exchange"))
course_id = os.environ.get("CLASSROOM_COURSE_ID", "imagelib-course")

# -- the hub and its proxy (configurable-http-proxy from npm: npm ci --prefix classroom) ------------
c.JupyterHub.bind_url = "http://:8000"  # put TLS in front of it (or set ssl_cert/ssl_key) for a real class
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
state.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# -- who may sign in: Linux accounts of the class group, by password ---------------------------------
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_groups = {group}
c.Authenticator.admin_users = teachers

# -- each student's own server, as their own Linux account, with a memory limit ------------------------
c.JupyterHub.spawner_class = "memory_limit.LimitedSpawner"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # the hub's own Python environment
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = os.environ.get("CLASSROOM_MEM_LIMIT", "2G")
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90


def jupyter_config_path(spawner) -> str:
    """Every server reads jupyter/ (nbgrader: the course and its exchange); a student's server reads
    jupyter-student/ first, which turns off nbgrader's teacher tools (Formgrader, Create Assignment,
    Course List) so students see only their Assignments tab."""
    shared = str(HERE / "jupyter")
    if spawner.user.name in teachers:
        return shared
    return os.pathsep.join([str(HERE / "jupyter-student"), shared])


c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": jupyter_config_path,
    "CLASSROOM_COURSE_ID": course_id,
    "CLASSROOM_EXCHANGE": str(exchange),
}

# -- nbgrader's exchange: every account may drop a submission in, only the teacher collects -----------
exchange.mkdir(parents=True, exist_ok=True)
exchange.chmod(0o777)

# -- stop servers nobody used for CLASSROOM_IDLE_TIMEOUT seconds (frees the students' memory) ----------
idle_timeout = int(os.environ.get("CLASSROOM_IDLE_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={idle_timeout}",
            f"--cull-every={max(idle_timeout // 10, 10)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
