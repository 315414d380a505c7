"""Databases, data platforms and connection strings with embedded passwords."""

from __future__ import annotations

from strongroom.scanner.rule import HEX32, Rule, keyed, token

F = "databases"

_PASSWORD = r"[^\s:@/'\"`]{3,128}"


def _uri(rule_id: str, description: str, schemes: str) -> Rule:
    """`scheme://user:password@host`; the password is the secret (placeholders and `${VAR}` filtered)."""
    first = schemes.split("|")[0].replace("\\", "")
    return Rule(
        id=rule_id,
        description=description,
        family=F,
        regex=rf"\b(?:{schemes})://[A-Za-z0-9_.%\-]{{1,64}}:({_PASSWORD})@[A-Za-z0-9_.\-]+",
        keywords=tuple(s.replace("\\", "") + "://" for s in schemes.split("|")),
        entropy=2.5,
        value=r"[A-Za-z0-9!#%^*+=?~]{12,24}",
        template=f"{first}://app:{{}}@db.internal.net:5432/app",
    )


RULES: tuple[Rule, ...] = (
    _uri("postgres-connection-string", "PostgreSQL connection URI with password", r"postgres|postgresql"),
    _uri("mysql-connection-string", "MySQL/MariaDB connection URI with password", r"mysql|mariadb|mysqlx"),
    _uri("mongodb-connection-string", "MongoDB connection URI with password", r"mongodb|mongodb\+srv"),
    _uri("redis-connection-string", "Redis connection URI with password", r"redis|rediss"),
    _uri("amqp-connection-string", "AMQP (RabbitMQ) connection URI with password", r"amqp|amqps"),
    _uri("sqlserver-connection-string", "SQL Server connection URI with password", r"sqlserver|mssql"),
    _uri("ldap-connection-string", "LDAP URI with bind password", r"ldap|ldaps"),
    _uri("ftp-credentials", "FTP/SFTP URI with password", r"ftp|sftp|ftps"),
    _uri("smtp-credentials", "SMTP URI with password", r"smtp|smtps"),
    _uri("url-credentials", "HTTP(S) URL with embedded password", r"https|http"),
    token("ado-net-connection-string", "ADO.NET / ODBC connection string password", F,
          r"(?:Server|Data Source|Host)=[^;'\"\s]{1,128};[^'\"\n]{0,200}(?:Password|Pwd)=[^;'\"\s]{4,128}",
          keywords=("password=", "pwd="), end=""),
    token("jdbc-connection-string", "JDBC URL with password parameter", F,
          r"jdbc:[a-z0-9]+:[^\s'\"]{1,200}[?;&]password=[^&;\s'\"]{4,128}", keywords=("jdbc:",), end=""),
    token("databricks-api-token", "Databricks API token", F, r"dapi[a-f0-9]{32}(?:-\d)?", entropy=3.0),
    token("clickhouse-cloud-api-secret", "ClickHouse Cloud API secret", F, r"4b1d[A-Za-z0-9]{38}",
          entropy=3.0),
    token("airtable-pat", "Airtable personal access token", F, r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}",
          keywords=("pat",), entropy=3.0),
    keyed("airtable-api-key", "Airtable API key", F, ("airtable",), r"key[A-Za-z0-9]{14}"),
    keyed("snowflake-password", "Snowflake password", F, ("snowflake_password", "snowsql_pwd"),
          r"[^\s'\"`]{8,64}"),
    keyed("confluent-secret-key", "Confluent Cloud API secret", F, ("confluent",), r"[A-Za-z0-9+/]{64}"),
    keyed("elastic-cloud-api-key", "Elastic Cloud API key", F, ("elastic",),
          r"essu_[A-Za-z0-9+/]{70,100}={0,2}"),
    keyed("influxdb-token", "InfluxDB API token", F, ("influx",), r"[A-Za-z0-9_\-]{86}=="),
    token("neon-api-key", "Neon API key", F, r"napi_[a-z0-9]{64}"),
    keyed("fauna-secret", "Fauna secret", F, ("fauna",), r"fn[A-Za-z0-9_\-]{38}"),
    keyed("cockroachdb-api-key", "CockroachDB Cloud API key", F, ("cockroach",),
          r"CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40}"),
    keyed("upstash-redis-token", "Upstash Redis REST token", F, ("upstash",), r"A[A-Za-z0-9]{60,80}="),
    keyed("aiven-token", "Aiven API token", F, ("aiven",), r"[a-zA-Z0-9/+=]{372}"),
    keyed("algolia-admin-key", "Algolia admin API key", F, ("algolia",), HEX32),
)
