#!/usr/bin/env python3
"""Generate synthetic job postings in careerhub's own posting shape, as JSON Lines.

Usage:
    scripts/gen-postings.py [--count 1000000] [--days 180] [--seed 7] [--now RFC3339]
                            [--out FILE.jsonl]

Each line is one posting with the fields of `PostingInput` (src/market/postings.rs) plus
`scraped_at`, an RFC 3339 UTC timestamp ending in `Z`. The file is sorted by `scraped_at`
ascending, the way a provider's incremental feed delivers it, and the postings are spread over
the last `--days` days before `--now` (default: the current time), with more of them on recent
days (a growing market) and fewer at weekends.

The data is skewed the way a real market is: role popularity, the technologies within each role,
locations and companies all follow Zipf-like distributions, so a few technologies appear in most
postings and a long tail appears rarely. About 60 roles draw 3-15 technology slugs each from their
own pool of 15-40 (about 470 distinct slugs overall); a slug is sometimes spelled as an alias or
with capitals ("k8s", "react-js", "node.js", "Golang", "PostgreSQL"), as providers do. Optional
fields are absent as often as they are in provider data: job_id 10%, remote 15%, salaries 45%,
company_industry 50%.

Output is deterministic for a given --seed and --now. Python 3 standard library only; about a
million lines in well under a minute on CPython. A summary (rows, distinct slugs, the top five
slugs and their share of postings) goes to stderr at the end.
"""

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from collections import Counter

# ---------------------------------------------------------------------------------------------
# Roles and their technology pools. Each pool is in rank order: the first slugs are the ones most
# postings for the role ask for, the last ones the long tail. ROLES itself is in popularity order.
# ---------------------------------------------------------------------------------------------

ROLES = [
    ("Software Engineer", "python java javascript git sql docker aws typescript linux rest-api "
     "kubernetes ci-cd go react nodejs postgresql microservices agile csharp cplusplus redis "
     "graphql terraform kafka mongodb scala rust github-actions jenkins gcp azure"),
    ("Backend Engineer", "python java go postgresql docker aws sql kubernetes redis rest-api git "
     "microservices nodejs kafka spring-boot typescript django mongodb grpc terraform rabbitmq "
     "fastapi kotlin graphql linux ci-cd elasticsearch ruby-on-rails rust scala dynamodb "
     "protobuf celery prometheus nats"),
    ("Frontend Developer", "javascript react typescript html css redux nextjs git vue jest "
     "webpack sass tailwindcss angular graphql figma storybook cypress vite rest-api eslint "
     "nodejs jquery bootstrap react-query accessibility playwright svelte styled-components "
     "material-ui rxjs"),
    ("Full Stack Developer", "javascript react nodejs typescript python sql postgresql git "
     "docker aws html css express mongodb rest-api nextjs vue django graphql redis jest "
     "tailwindcss php laravel angular mysql prisma ci-cd firebase"),
    ("Data Scientist", "python sql pandas numpy scikit-learn machine-learning statistics "
     "tensorflow pytorch r jupyter spark tableau xgboost matplotlib deep-learning aws "
     "a-b-testing seaborn scipy nlp databricks power-bi lightgbm statsmodels snowflake plotly "
     "git docker keras sas mlflow"),
    ("DevOps Engineer", "kubernetes docker terraform aws linux ci-cd jenkins ansible python git "
     "bash github-actions helm prometheus grafana azure gitlab-ci gcp argocd cloudformation "
     "datadog nginx elk-stack vault go istio packer pulumi puppet chef openshift"),
    ("Data Engineer", "python sql spark airflow aws kafka snowflake dbt scala databricks "
     "postgresql docker hadoop bigquery pyspark amazon-redshift etl data-modeling kubernetes "
     "terraform flink hive java gcp azure-data-factory delta-lake trino dagster fivetran iceberg"),
    ("Product Manager", "jira agile sql confluence figma scrum amplitude mixpanel "
     "google-analytics productboard a-b-testing tableau notion miro looker excel pendo linear "
     "asana trello smartsheet"),
    ("Machine Learning Engineer", "python pytorch tensorflow machine-learning docker kubernetes "
     "aws sql deep-learning mlflow scikit-learn spark llm hugging-face transformers nlp "
     "computer-vision sagemaker kubeflow onnx cuda ray langchain numpy pandas vertex-ai airflow "
     "triton rag weights-and-biases jax tensorrt feast vllm faiss"),
    ("Data Analyst", "sql excel tableau python power-bi looker r google-analytics statistics "
     "pandas snowflake bigquery dax a-b-testing google-sheets vba metabase power-query qlik "
     "alteryx dbt sas"),
    ("Cloud Engineer", "aws azure terraform kubernetes docker linux gcp python cloudformation "
     "ansible ci-cd amazon-ec2 aws-lambda amazon-s3 aws-iam networking bash azure-devops helm "
     "amazon-eks aks cloudwatch pulumi vpn"),
    ("Site Reliability Engineer", "kubernetes linux prometheus grafana go python aws terraform "
     "docker sre datadog ci-cd opentelemetry pagerduty elk-stack bash helm jaeger gcp istio "
     "envoy nginx ansible kafka postgresql argocd splunk new-relic"),
    ("iOS Developer", "swift ios swiftui xcode objective-c uikit git rest-api core-data combine "
     "cocoapods fastlane firebase testflight graphql ci-cd mvvm"),
    ("Android Developer", "kotlin android java android-sdk jetpack-compose git android-studio "
     "retrofit coroutines room rest-api firebase dagger gradle rxjava mvvm graphql ci-cd"),
    ("Mobile Developer", "react-native flutter swift kotlin dart ios android javascript "
     "typescript firebase git rest-api expo redux xcode graphql ionic xamarin fastlane"),
    ("QA Engineer", "selenium jira sql python java postman api-testing cypress testng junit "
     "jenkins git agile appium playwright cucumber jmeter rest-assured pytest k6"),
    ("Security Engineer", "python linux aws siem splunk owasp penetration-testing "
     "vulnerability-management iam burp-suite kubernetes crowdstrike nessus threat-modeling "
     "terraform wireshark okta iso-27001 soc2 nist sast snyk active-directory palo-alto-networks"),
    ("Solutions Architect", "aws azure microservices kubernetes gcp terraform docker java python "
     "sql api-design event-driven-architecture kafka salesforce togaf serverless ci-cd rest-api "
     "oauth2 mulesoft"),
    ("Engineering Manager", "agile scrum jira python java aws kubernetes microservices ci-cd git "
     "sql confluence go typescript react docker okrs"),
    ("Database Administrator", "sql postgresql oracle-database sql-server mysql linux pl-sql "
     "t-sql aws backup-and-recovery amazon-rds mongodb performance-tuning powershell bash python "
     "patroni pgbouncer liquibase redis"),
    ("Systems Administrator", "linux windows-server active-directory powershell bash vmware "
     "office-365 azure networking dns dhcp ansible hyper-v tcp-ip intune sccm citrix jamf "
     "exchange-server backup-and-recovery"),
    ("Network Engineer", "cisco networking bgp ospf tcp-ip juniper firewalls vpn sd-wan "
     "palo-alto-networks fortinet mpls wireshark python ansible aws dns dhcp"),
    ("Embedded Software Engineer", "c cplusplus embedded-c rtos linux python git arm-cortex "
     "freertos embedded-linux uart spi i2c can-bus yocto jtag matlab assembly stm32 zephyr "
     "autosar bluetooth-low-energy"),
    ("UX Designer", "figma sketch adobe-xd prototyping user-research invision adobe-photoshop "
     "adobe-illustrator miro zeplin framer usertesting maze accessibility html css protopie "
     "principle"),
    ("UI Designer", "figma sketch adobe-xd adobe-photoshop adobe-illustrator prototyping html "
     "css after-effects invision zeplin framer principle design-systems protopie"),
    ("Product Designer", "figma prototyping user-research sketch design-systems adobe-xd miro "
     "maze usertesting adobe-photoshop framer html css protopie amplitude"),
    ("Business Analyst", "sql excel jira confluence agile power-bi tableau visio scrum bpmn uml "
     "python google-sheets salesforce sap servicenow power-query dax"),
    ("Java Developer", "java spring-boot spring sql hibernate maven microservices rest-api git "
     "docker junit kafka postgresql kubernetes aws gradle oracle-database jenkins mockito lombok "
     "tomcat quarkus"),
    ("Python Developer", "python django flask fastapi sql postgresql git docker aws rest-api "
     "celery pandas redis sqlalchemy pytest linux kubernetes pydantic asyncio mongodb poetry"),
    (".NET Developer", "csharp dotnet asp-net-core sql-server azure entity-framework sql git "
     "rest-api javascript angular linq xunit azure-devops docker microservices blazor "
     "visual-studio react t-sql"),
    ("Go Developer", "go docker kubernetes postgresql grpc microservices aws linux redis kafka "
     "protobuf git rest-api prometheus terraform gin echo cobra nats cockroachdb"),
    ("Rust Developer", "rust tokio linux git postgresql docker webassembly grpc actix axum cargo "
     "kubernetes aws cplusplus protobuf c python kafka"),
    ("Node.js Developer", "nodejs javascript typescript express mongodb postgresql rest-api aws "
     "docker git nestjs graphql redis jest microservices kafka prisma typeorm fastify mocha npm "
     "yarn"),
    ("Ruby on Rails Developer", "ruby ruby-on-rails postgresql rspec sidekiq redis javascript "
     "git aws docker heroku react rest-api sinatra graphql mysql"),
    ("PHP Developer", "php laravel mysql javascript symfony wordpress composer git html css vue "
     "rest-api docker phpunit drupal redis jquery aws postgresql"),
    ("React Developer", "react javascript typescript redux nextjs html css jest git graphql "
     "react-query tailwindcss webpack storybook cypress nodejs vite styled-components "
     "material-ui zustand mobx"),
    ("Angular Developer", "angular typescript rxjs javascript html css ngrx git jasmine karma "
     "rest-api sass nodejs material-ui bootstrap jest cypress webpack"),
    ("Game Developer", "unity csharp cplusplus unreal-engine git perforce directx opengl vulkan "
     "hlsl blender godot lua python jira"),
    ("Blockchain Developer", "solidity ethereum javascript typescript web3js ethers-js hardhat "
     "rust nodejs go foundry truffle solana react docker"),
    ("Salesforce Developer", "salesforce apex lightning-web-components soql visualforce "
     "javascript sales-cloud service-cloud mulesoft git salesforce-marketing-cloud sql rest-api "
     "jira agile"),
    ("SAP Consultant", "sap sap-s4hana sap-abap sap-hana sap-fiori sql excel oracle-ebs "
     "dynamics-365 workday netsuite jira servicenow agile sql-server power-bi"),
    ("IT Support Specialist", "windows office-365 active-directory servicenow networking intune "
     "macos jamf azure-ad tcp-ip powershell vpn dns dhcp citrix vmware sccm"),
    ("Technical Program Manager", "jira agile confluence scrum aws sql kubernetes microservices "
     "smartsheet ms-project okrs asana python tableau miro"),
    ("Scrum Master", "scrum agile jira confluence kanban safe miro azure-devops trello asana "
     "okrs ms-project confluence-cloud slack excel"),
    ("Platform Engineer", "kubernetes terraform go aws docker python helm argocd ci-cd linux "
     "prometheus grafana crossplane backstage istio gitlab-ci github-actions vault kustomize "
     "flux pulumi"),
    ("MLOps Engineer", "python kubernetes mlflow docker aws kubeflow airflow terraform sagemaker "
     "ci-cd pytorch tensorflow feast ray vertex-ai dvc prometheus onnx triton"),
    ("AI Engineer", "python llm pytorch langchain openai-api rag hugging-face transformers "
     "vector-database aws docker fastapi llamaindex pinecone weaviate faiss nlp kubernetes "
     "typescript vllm"),
    ("Computer Vision Engineer", "python opencv pytorch computer-vision deep-learning cplusplus "
     "tensorflow cuda numpy docker onnx tensorrt linux git ros"),
    ("NLP Engineer", "python nlp pytorch transformers hugging-face llm spacy nltk tensorflow "
     "machine-learning docker aws rag langchain sql"),
    ("Business Intelligence Developer", "sql power-bi tableau ssis dax t-sql sql-server "
     "data-warehousing etl looker excel azure snowflake power-query python ssrs qlik "
     "azure-synapse"),
    ("Analytics Engineer", "sql dbt snowflake python looker bigquery airflow git data-modeling "
     "fivetran tableau amazon-redshift databricks dagster power-bi"),
    ("Marketing Analyst", "excel sql google-analytics tableau hubspot google-ads power-bi python "
     "salesforce seo marketo google-tag-manager looker semrush ahrefs braze segment"),
    ("Digital Marketing Specialist", "google-ads seo google-analytics hubspot semrush wordpress "
     "mailchimp google-tag-manager canva hootsuite marketo ahrefs salesforce-marketing-cloud "
     "excel braze"),
    ("Technical Writer", "markdown git confluence jira docs-as-code rest-api openapi html xml "
     "python sphinx docusaurus github agile postman figma"),
    ("Firmware Engineer", "c cplusplus embedded-c rtos arm-cortex python freertos jtag spi i2c "
     "uart git linux assembly fpga verilog bluetooth-low-energy zephyr"),
    ("FPGA Engineer", "fpga verilog vhdl systemverilog xilinx vivado matlab simulink python c "
     "tcl git linux systemc embedded-c"),
    ("HPC Engineer", "linux cplusplus python mpi openmp cuda slurm fortran c bash julia ansible "
     "docker git kubernetes"),
    ("Data Architect", "sql data-modeling snowflake aws azure etl data-warehousing databricks "
     "python kafka spark postgresql erwin bigquery iceberg delta-lake"),
    ("ERP Consultant", "sap dynamics-365 netsuite oracle-ebs workday sql excel power-bi "
     "sap-s4hana servicenow agile jira salesforce sap-abap sap-fiori"),
    ("Robotics Engineer", "ros cplusplus python linux computer-vision matlab simulink opencv "
     "gazebo pytorch embedded-c can-bus git docker jira"),
]

# Spellings a provider uses for the same technology, with the chance each replaces the
# canonical slug in a posting: aliases and capitals careerhub's normalizer must fold together.
ALIASES = {
    "kubernetes": (("k8s", 0.10), ("Kubernetes", 0.05)),
    "react": (("react-js", 0.08), ("React", 0.05), ("reactjs", 0.04)),
    "nodejs": (("node.js", 0.12), ("Node.js", 0.06)),
    "go": (("Golang", 0.12), ("golang", 0.08)),
    "postgresql": (("PostgreSQL", 0.08), ("postgres", 0.06)),
    "python": (("Python", 0.06),),
    "aws": (("AWS", 0.06), ("amazon-web-services", 0.05)),
    "typescript": (("TypeScript", 0.06), ("ts", 0.02)),
    "javascript": (("JavaScript", 0.06), ("js", 0.03)),
    "docker": (("Docker", 0.05),),
    "gcp": (("google-cloud-platform", 0.10),),
    "csharp": (("c#", 0.15), ("C#", 0.05)),
    "cplusplus": (("c++", 0.20), ("C++", 0.05)),
    "vue": (("vue.js", 0.10), ("vuejs", 0.05)),
    "nextjs": (("next.js", 0.10),),
    "dotnet": ((".net", 0.10), (".NET", 0.05)),
    "terraform": (("Terraform", 0.05),),
    "scikit-learn": (("sklearn", 0.08),),
    "tensorflow": (("TensorFlow", 0.05),),
    "pytorch": (("PyTorch", 0.05),),
    "mongodb": (("mongo", 0.05), ("MongoDB", 0.05)),
}

SENIORITY_PREFIXES = ["", "Senior ", "Junior ", "Lead ", "Staff ", "Principal ", "Mid-Level "]
SENIORITY_PREFIX_WEIGHTS = [52, 24, 8, 6, 4, 2, 4]
SENIORITY_SUFFIXES = ["", " II", " III", " I"]
SENIORITY_SUFFIX_WEIGHTS = [90, 5, 3, 2]

# (location, country or state for search_location), in popularity order.
US = "United States"
LOCATIONS = [
    ("San Francisco, CA", US), ("Remote", "Remote"), ("New York, NY", US),
    ("London, United Kingdom", "United Kingdom"), ("Seattle, WA", US),
    ("Bangalore, India", "India"), ("Austin, TX", US), ("Berlin, Germany", "Germany"),
    ("Toronto, Canada", "Canada"), ("Boston, MA", US), ("Chicago, IL", US),
    ("Los Angeles, CA", US), ("Amsterdam, Netherlands", "Netherlands"),
    ("Paris, France", "France"), ("Singapore, Singapore", "Singapore"),
    ("San Jose, CA", US), ("Dublin, Ireland", "Ireland"), ("Denver, CO", US),
    ("Hyderabad, India", "India"), ("Sydney, Australia", "Australia"),
    ("Atlanta, GA", US), ("Washington, DC", US), ("Munich, Germany", "Germany"),
    ("Tel Aviv, Israel", "Israel"), ("Pune, India", "India"), ("Dallas, TX", US),
    ("Vancouver, Canada", "Canada"), ("Stockholm, Sweden", "Sweden"),
    ("Barcelona, Spain", "Spain"), ("Madrid, Spain", "Spain"),
    ("Warsaw, Poland", "Poland"), ("Zürich, Switzerland", "Switzerland"),
    ("Mountain View, CA", US), ("Palo Alto, CA", US), ("San Diego, CA", US),
    ("Raleigh, NC", US), ("Portland, OR", US), ("Salt Lake City, UT", US),
    ("Miami, FL", US), ("Phoenix, AZ", US), ("Minneapolis, MN", US),
    ("Pittsburgh, PA", US), ("Philadelphia, PA", US), ("Houston, TX", US),
    ("Charlotte, NC", US), ("Nashville, TN", US), ("Columbus, OH", US),
    ("Detroit, MI", US), ("Baltimore, MD", US), ("St. Louis, MO", US),
    ("Kansas City, MO", US), ("Indianapolis, IN", US), ("Tampa, FL", US),
    ("Orlando, FL", US), ("Sacramento, CA", US), ("Irvine, CA", US),
    ("Cambridge, MA", US), ("Redmond, WA", US), ("Bellevue, WA", US),
    ("Sunnyvale, CA", US), ("Santa Clara, CA", US), ("Boulder, CO", US),
    ("Madison, WI", US), ("Ann Arbor, MI", US), ("Cincinnati, OH", US),
    ("Las Vegas, NV", US), ("New Orleans, LA", US), ("Richmond, VA", US),
    ("Arlington, VA", US), ("Jersey City, NJ", US), ("Newark, NJ", US),
    ("Hartford, CT", US), ("Providence, RI", US), ("Omaha, NE", US),
    ("Boise, ID", US), ("Albuquerque, NM", US), ("Manchester, United Kingdom", "United Kingdom"),
    ("Edinburgh, United Kingdom", "United Kingdom"),
    ("Cambridge, United Kingdom", "United Kingdom"),
    ("Bristol, United Kingdom", "United Kingdom"), ("Hamburg, Germany", "Germany"),
    ("Frankfurt, Germany", "Germany"), ("Cologne, Germany", "Germany"),
    ("Stuttgart, Germany", "Germany"), ("Vienna, Austria", "Austria"),
    ("Copenhagen, Denmark", "Denmark"), ("Oslo, Norway", "Norway"),
    ("Helsinki, Finland", "Finland"), ("Lisbon, Portugal", "Portugal"),
    ("Porto, Portugal", "Portugal"), ("Milan, Italy", "Italy"), ("Rome, Italy", "Italy"),
    ("Brussels, Belgium", "Belgium"), ("Prague, Czech Republic", "Czech Republic"),
    ("Budapest, Hungary", "Hungary"), ("Bucharest, Romania", "Romania"),
    ("Kraków, Poland", "Poland"), ("Wrocław, Poland", "Poland"),
    ("Tallinn, Estonia", "Estonia"), ("Vilnius, Lithuania", "Lithuania"),
    ("Riga, Latvia", "Latvia"), ("Athens, Greece", "Greece"),
    ("Istanbul, Turkey", "Turkey"), ("Tbilisi, Georgia", "Georgia"),
    ("Kyiv, Ukraine", "Ukraine"), ("Geneva, Switzerland", "Switzerland"),
    ("Lyon, France", "France"), ("Rotterdam, Netherlands", "Netherlands"),
    ("Eindhoven, Netherlands", "Netherlands"), ("Gothenburg, Sweden", "Sweden"),
    ("Chennai, India", "India"), ("Mumbai, India", "India"), ("Gurgaon, India", "India"),
    ("Noida, India", "India"), ("Delhi, India", "India"), ("Kolkata, India", "India"),
    ("Montréal, Canada", "Canada"), ("Ottawa, Canada", "Canada"),
    ("Calgary, Canada", "Canada"), ("Waterloo, Canada", "Canada"),
    ("Melbourne, Australia", "Australia"), ("Brisbane, Australia", "Australia"),
    ("Auckland, New Zealand", "New Zealand"), ("Tokyo, Japan", "Japan"),
    ("Osaka, Japan", "Japan"), ("Seoul, South Korea", "South Korea"),
    ("Shanghai, China", "China"), ("Beijing, China", "China"),
    ("Shenzhen, China", "China"), ("Hong Kong, Hong Kong", "Hong Kong"),
    ("Taipei, Taiwan", "Taiwan"), ("Kuala Lumpur, Malaysia", "Malaysia"),
    ("Jakarta, Indonesia", "Indonesia"), ("Manila, Philippines", "Philippines"),
    ("Ho Chi Minh City, Vietnam", "Vietnam"), ("Bangkok, Thailand", "Thailand"),
    ("Dubai, United Arab Emirates", "United Arab Emirates"),
    ("Abu Dhabi, United Arab Emirates", "United Arab Emirates"),
    ("Riyadh, Saudi Arabia", "Saudi Arabia"), ("Cairo, Egypt", "Egypt"),
    ("Lagos, Nigeria", "Nigeria"), ("Nairobi, Kenya", "Kenya"),
    ("Cape Town, South Africa", "South Africa"), ("Johannesburg, South Africa", "South Africa"),
    ("São Paulo, Brazil", "Brazil"), ("Rio de Janeiro, Brazil", "Brazil"),
    ("Mexico City, Mexico", "Mexico"), ("Guadalajara, Mexico", "Mexico"),
    ("Buenos Aires, Argentina", "Argentina"), ("Bogotá, Colombia", "Colombia"),
    ("Santiago, Chile", "Chile"), ("Lima, Peru", "Peru"),
    ("Montevideo, Uruguay", "Uruguay"),
]

INDUSTRIES = [
    "Software Development", "Financial Services", "IT Services and IT Consulting",
    "Technology, Information and Internet", "Hospital & Health Care", "E-Commerce", "Retail",
    "Banking", "Insurance", "Telecommunications", "Computer Games", "Education",
    "Higher Education", "Manufacturing", "Automotive", "Biotechnology",
    "Pharmaceutical Manufacturing", "Advertising Services", "Media Production",
    "Transportation, Logistics, Supply Chain and Storage", "Real Estate",
    "Government Administration", "Non-profit Organizations", "Staffing and Recruiting",
    "Oil and Gas", "Renewable Energy", "Aviation & Aerospace", "Construction",
    "Hospitality", "Food and Beverage Services", "Computer and Network Security",
    "Venture Capital and Private Equity",
]
INDUSTRY_WEIGHTS = [30, 18, 14, 12, 8, 7, 6, 6, 5, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1,
                    3, 1, 1, 1, 1, 1, 1, 2, 1]

# (name, domain, industry) for companies everybody knows, ranked by hiring volume.
REAL_COMPANIES = [
    ("Amazon", "amazon.com", "Software Development"),
    ("Google", "google.com", "Technology, Information and Internet"),
    ("Microsoft", "microsoft.com", "Software Development"),
    ("Meta", "meta.com", "Technology, Information and Internet"),
    ("Apple", "apple.com", "Computers and Electronics Manufacturing"),
    ("Oracle", "oracle.com", "IT Services and IT Consulting"),
    ("Salesforce", "salesforce.com", "Software Development"),
    ("IBM", "ibm.com", "IT Services and IT Consulting"),
    ("Accenture", "accenture.com", "Business Consulting and Services"),
    ("JPMorgan Chase & Co.", "jpmorganchase.com", "Financial Services"),
    ("Capital One", "capitalone.com", "Banking"),
    ("Deloitte", "deloitte.com", "Business Consulting and Services"),
    ("Netflix", "netflix.com", "Entertainment Providers"),
    ("Uber", "uber.com", "Technology, Information and Internet"),
    ("Stripe", "stripe.com", "Financial Services"),
    ("Shopify", "shopify.com", "E-Commerce"),
    ("Revolut", "revolut.com", "Financial Services"),
    ("Spotify", "spotify.com", "Musicians"),
    ("Airbnb", "airbnb.com", "Software Development"),
    ("Atlassian", "atlassian.com", "Software Development"),
    ("Datadog", "datadoghq.com", "Software Development"),
    ("Snowflake", "snowflake.com", "Software Development"),
    ("Databricks", "databricks.com", "Software Development"),
    ("Adobe", "adobe.com", "Software Development"),
    ("Intel", "intel.com", "Semiconductor Manufacturing"),
    ("NVIDIA", "nvidia.com", "Computer Hardware Manufacturing"),
    ("Cisco", "cisco.com", "Software Development"),
    ("SAP", "sap.com", "Software Development"),
    ("Walmart", "walmart.com", "Retail"),
    ("Target", "target.com", "Retail"),
    ("Goldman Sachs", "goldmansachs.com", "Financial Services"),
    ("Morgan Stanley", "morganstanley.com", "Financial Services"),
    ("UnitedHealth Group", "unitedhealthgroup.com", "Hospital & Health Care"),
    ("CVS Health", "cvshealth.com", "Hospital & Health Care"),
    ("Kaiser Permanente", "kaiserpermanente.org", "Hospital & Health Care"),
    ("Booking.com", "booking.com", "Technology, Information and Internet"),
    ("Zalando", "zalando.com", "E-Commerce"),
    ("Klarna", "klarna.com", "Financial Services"),
    ("Adyen", "adyen.com", "Financial Services"),
    ("N26", "n26.com", "Banking"),
    ("Monzo", "monzo.com", "Banking"),
    ("Wise", "wise.com", "Financial Services"),
    ("Infosys", "infosys.com", "IT Services and IT Consulting"),
    ("Tata Consultancy Services", "tcs.com", "IT Services and IT Consulting"),
    ("Wipro", "wipro.com", "IT Services and IT Consulting"),
    ("Cognizant", "cognizant.com", "IT Services and IT Consulting"),
    ("Capgemini", "capgemini.com", "IT Services and IT Consulting"),
    ("EPAM Systems", "epam.com", "IT Services and IT Consulting"),
    ("Thoughtworks", "thoughtworks.com", "IT Services and IT Consulting"),
    ("GitLab", "gitlab.com", "Software Development"),
    ("HashiCorp", "hashicorp.com", "Software Development"),
    ("Cloudflare", "cloudflare.com", "Computer and Network Security"),
    ("CrowdStrike", "crowdstrike.com", "Computer and Network Security"),
    ("Palantir Technologies", "palantir.com", "Software Development"),
    ("OpenAI", "openai.com", "Research Services"),
    ("Anthropic", "anthropic.com", "Research Services"),
    ("Electronic Arts", "ea.com", "Computer Games"),
    ("Ubisoft", "ubisoft.com", "Computer Games"),
    ("Tesla", "tesla.com", "Motor Vehicle Manufacturing"),
    ("Siemens", "siemens.com", "Automation Machinery Manufacturing"),
    ("Bosch", "bosch.com", "Manufacturing"),
    ("Philips", "philips.com", "Hospital & Health Care"),
    ("Pfizer", "pfizer.com", "Pharmaceutical Manufacturing"),
    ("Deutsche Bank", "db.com", "Banking"),
    ("HSBC", "hsbc.com", "Banking"),
    ("Barclays", "barclays.com", "Banking"),
    ("Coinbase", "coinbase.com", "Financial Services"),
    ("Robinhood", "robinhood.com", "Financial Services"),
    ("DoorDash", "doordash.com", "Technology, Information and Internet"),
    ("Instacart", "instacart.com", "E-Commerce"),
]

NAME_HEADS = [
    "Blue", "Bright", "Quantum", "Nimbus", "Apex", "Vertex", "Nova", "Silver", "Iron", "Cedar",
    "Harbor", "Summit", "Pioneer", "Atlas", "Beacon", "Crimson", "Delta", "Echo", "Falcon",
    "Granite", "Helix", "Indigo", "Juniper", "Keystone", "Lumen", "Maple", "Northwind", "Orbit",
    "Pinnacle", "Radiant", "Sierra", "Tidal", "Unity", "Vector", "Willow", "Zenith", "Aurora",
    "Cobalt", "Evergreen", "Fusion", "Horizon", "Ironclad", "Kinetic", "Lighthouse", "Meridian",
    "Nexus", "Oakridge", "Polaris", "Redwood", "Sapphire", "Terra", "Velocity", "Wavelength",
    "Arbor", "Bluebird", "Catalyst", "Driftwood", "Emerald", "Foxglove", "Goldleaf",
]
NAME_TAILS = [
    "Labs", "Systems", "Technologies", "Software", "Analytics", "Health", "Financial",
    "Logistics", "Networks", "Solutions", "Digital", "Robotics", "Data", "Cloud", "Security",
    "Media", "Bank", "Capital", "Energy", "Retail", "Commerce", "Games", "Learning", "Bio",
    "Dynamics", "Works", "Partners", "Group", "Interactive", "AI", "Mobility", "Payments",
    "Insurance", "Foods", "Motors", "Studios", "Ventures", "Consulting", "Pharma", "Telecom",
]
# A synthetic company's industry follows its name where the name says it.
TAIL_INDUSTRIES = {
    "Health": "Hospital & Health Care", "Financial": "Financial Services",
    "Bank": "Banking", "Capital": "Financial Services", "Payments": "Financial Services",
    "Insurance": "Insurance", "Retail": "Retail", "Commerce": "E-Commerce",
    "Games": "Computer Games", "Learning": "Education", "Bio": "Biotechnology",
    "Pharma": "Pharmaceutical Manufacturing", "Energy": "Renewable Energy",
    "Logistics": "Transportation, Logistics, Supply Chain and Storage",
    "Media": "Media Production", "Telecom": "Telecommunications", "Motors": "Automotive",
    "Foods": "Food and Beverage Services", "Security": "Computer and Network Security",
    "Software": "Software Development", "Consulting": "IT Services and IT Consulting",
    "Studios": "Media Production", "Ventures": "Venture Capital and Private Equity",
}
LEGAL_FORMS = ["", "", "", " Inc.", " LLC", " Ltd", " GmbH", " Corp."]
TLDS = [".com", ".com", ".com", ".io", ".ai", ".co", ".dev", ".tech"]

TEAMS = ["platform", "payments", "growth", "data", "infrastructure", "core product", "mobile",
         "search", "risk", "customer experience", "analytics", "security", "developer tools",
         "marketplace", "billing", "identity", "machine learning", "commerce"]

INTROS = [
    "{company} is looking for a {title} to join our {team} team in {location}. ",
    "As a {title} at {company}, you will help build the {team} products used by millions. ",
    "We are hiring a {title} for the {team} group at {company} ({location}). ",
    "{company} is growing fast and needs a {title} who cares about quality and ownership. ",
    "Join {company} as a {title} and shape how our {team} team works. ",
]
STACK_SENTENCES = [
    "Our stack includes {a}, {b} and {c}. ",
    "You will work with {a} and {b} every day, and with {c} from time to time. ",
    "Strong experience with {a} is required; knowledge of {b} or {c} is a plus. ",
    "We build on {a}, {b} and {c}, and we are always open to better tools. ",
    "Hands-on experience with {a} and {b} is expected; {c} is nice to have. ",
]
FILLER = [
    "You will design, build and operate services that our customers rely on. ",
    "You will collaborate closely with product managers, designers and other engineers. ",
    "We value clear communication, thoughtful code review and pragmatic decisions. ",
    "You will take part in planning, estimation and the occasional on-call rotation. ",
    "We offer competitive compensation, equity and a generous learning budget. ",
    "Flexible working hours and a hybrid setup are standard for every team. ",
    "You will mentor colleagues and help raise the bar for the whole organization. ",
    "We ship small changes often and measure their impact carefully. ",
    "You will own features end to end, from the first design document to production. ",
    "Our teams are small, autonomous and accountable for what they deliver. ",
    "Experience in a fast-paced environment with changing priorities is an advantage. ",
    "A degree in computer science or a related field, or equivalent experience, is welcome. ",
    "You care about testing, observability and writing software that is easy to change. ",
    "We offer health insurance, paid parental leave and 30 days of vacation. ",
    "You will help us improve performance, reliability and the developer experience. ",
    "We are committed to building a diverse and inclusive workplace. ",
    "Fluent English is required; any other language is a bonus. ",
    "You will analyse problems, propose solutions and see them through. ",
    "We run regular hack weeks and support conference attendance. ",
    "Remote-friendly: most of the team works across several time zones. ",
]
DESCRIPTION_MAX = 800


def zipf_cum_weights(n, s):
    """Cumulative Zipf weights 1/rank^s for ranks 1..n, for random.choices(cum_weights=...)."""
    return list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, n + 1)))


def make_companies(rng, count):
    """REAL_COMPANIES plus `count` synthetic ones as (name, domain, industry), popularity ordered:
    the real companies are scattered through the first few hundred ranks."""
    synthetic = []
    seen = set()
    pairs = [(h, t) for h in NAME_HEADS for t in NAME_TAILS]
    rng.shuffle(pairs)
    for head, tail in itertools.islice(itertools.cycle(pairs), count * 2):
        legal = rng.choice(LEGAL_FORMS)
        name = f"{head} {tail}{legal}"
        if name in seen:
            name = f"{head}{tail.lower()} {rng.choice(NAME_TAILS)}{legal}"
            if name in seen:
                continue
        seen.add(name)
        domain = (head + tail).lower() + rng.choice(TLDS)
        industry = TAIL_INDUSTRIES.get(tail) or rng.choices(INDUSTRIES, weights=INDUSTRY_WEIGHTS)[0]
        synthetic.append((name, domain, industry))
        if len(synthetic) == count:
            break
    companies = synthetic
    # The big names post the most: interleaved with synthetic ones through the first ranks.
    for index, real in enumerate(REAL_COMPANIES):
        companies.insert(index * 3 + rng.randrange(3), real)
    return companies


def parse_now(raw):
    if raw is None:
        return int(time.time())
    moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp())


def scrape_times(rng, count, days, now):
    """`count` epoch seconds in (now - days, now], ascending; the daily rate grows about 3x
    over the window and is lower at weekends."""
    start = now - days * 86400
    growth = 3.0
    day_weights = []
    for day in range(days):
        weekday = dt.datetime.fromtimestamp(start + day * 86400 + 43200, dt.timezone.utc).weekday()
        weekend = 0.45 if weekday >= 5 else 1.0
        day_weights.append(growth ** (day / max(days - 1, 1)) * weekend)
    cum = list(itertools.accumulate(day_weights))
    day_of = rng.choices(range(days), cum_weights=cum, k=count)
    rand = rng.random
    times = [start + 1 + day * 86400 + int(rand() * 86399) for day in day_of]
    times.sort()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="postings (default 1000000)")
    parser.add_argument("--days", type=int, default=180, help="window in days (default 180)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--now", help="end of the window, RFC 3339 (default: the current time)")
    parser.add_argument("--out", help="output file (default: stdout)")
    args = parser.parse_args()
    if args.count < 0 or args.days < 1:
        parser.error("--count must be >= 0 and --days >= 1")

    started = time.monotonic()
    rng = random.Random(args.seed)
    rand = rng.random
    choices = rng.choices
    randint = rng.randint
    n = args.count
    now = parse_now(args.now)

    # Pools, precomputed once.
    role_names = [name for name, _ in ROLES]
    role_pools = []
    for name, pool in ROLES:
        slugs = list(dict.fromkeys(pool.split()))
        assert 15 <= len(slugs) <= 40, (name, len(slugs))
        role_pools.append((slugs, zipf_cum_weights(len(slugs), 1.05)))
    alias_table = {}
    for slug, variants in ALIASES.items():
        # One uniform draw picks the spelling: cumulative thresholds, canonical beyond them.
        thresholds = list(itertools.accumulate(p for _, p in variants))
        alias_table[slug] = ([v for v, _ in variants], thresholds)
    companies = make_companies(rng, 3000)
    company_cum = zipf_cum_weights(len(companies), 0.6)
    location_cum = zipf_cum_weights(len(LOCATIONS), 0.75)
    # "Remote" postings are always remote; the other locations make up the rest of the ~25%
    # true, ~60% false, ~15% absent.
    remote_index = [loc for loc, _ in LOCATIONS].index("Remote")
    remote_share = (location_cum[remote_index] - location_cum[remote_index - 1]) / location_cum[-1]
    p_true = (0.25 - remote_share) / (1 - remote_share)
    p_false = p_true + 0.60 / (1 - remote_share)
    role_cum = zipf_cum_weights(len(ROLES), 0.9)
    slug_count_values = list(range(3, 16))
    slug_count_weights = [4, 8, 12, 14, 14, 12, 10, 8, 6, 4, 3, 2, 1]
    hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    dates = {}

    def date_of(day_number):
        text = dates.get(day_number)
        if text is None:
            text = (dt.date(1970, 1, 1) + dt.timedelta(days=day_number)).isoformat()
            dates[day_number] = text
        return text

    # Per-row draws done in bulk.
    times = scrape_times(rng, n, args.days, now)
    roles = choices(range(len(ROLES)), cum_weights=role_cum, k=n)
    locations = choices(range(len(LOCATIONS)), cum_weights=location_cum, k=n)
    company_ids = choices(range(len(companies)), cum_weights=company_cum, k=n)
    slug_counts = choices(slug_count_values, weights=slug_count_weights, k=n)
    prefixes = choices(SENIORITY_PREFIXES, weights=SENIORITY_PREFIX_WEIGHTS, k=n)
    suffixes = choices(SENIORITY_SUFFIXES, weights=SENIORITY_SUFFIX_WEIGHTS, k=n)
    posted_back = choices(range(11), weights=[20, 16, 13, 11, 9, 8, 7, 6, 4, 3, 3], k=n)

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    slug_counter = Counter()
    role_counter = Counter()
    batch = []
    n_intros, n_stacks, n_filler = len(INTROS), len(STACK_SENTENCES), len(FILLER)

    for i in range(n):
        role = roles[i]
        pool, cum = role_pools[role]
        k = slug_counts[i]
        if k > len(pool) - 2:
            k = len(pool) - 2
        picked = dict.fromkeys(choices(pool, cum_weights=cum, k=k + k))
        tries = 0
        while len(picked) < k:
            tries += 1
            if tries > 6:  # long-tail only left: take the remaining at random
                rest = [s for s in pool if s not in picked]
                picked.update(dict.fromkeys(rng.sample(rest, k - len(picked))))
                break
            picked.update(dict.fromkeys(choices(pool, cum_weights=cum, k=k)))
        slugs = list(picked)[:k]
        for j, slug in enumerate(slugs):
            alias = alias_table.get(slug)
            if alias is not None:
                u = rand()
                variants, thresholds = alias
                for v, t in zip(variants, thresholds):
                    if u < t:
                        slugs[j] = v
                        break
        slug_counter.update(slugs)
        role_counter[role] += 1

        role_name = role_names[role]
        title = prefixes[i] + role_name + suffixes[i]
        location, country = LOCATIONS[locations[i]]
        company, domain, industry = companies[company_ids[i]]
        ts = times[i]
        day_number = ts // 86400
        row_number = i + 1

        # Description: 300-800 characters that mention some of the slugs.
        target = randint(300, DESCRIPTION_MAX)
        a = slugs[0]
        b = slugs[1]
        c = slugs[2]
        team = TEAMS[int(rand() * len(TEAMS))]
        text = (INTROS[int(rand() * n_intros)].format(
                    company=company, title=title, team=team, location=location)
                + STACK_SENTENCES[int(rand() * n_stacks)].format(a=a, b=b, c=c))
        f = int(rand() * n_filler)
        step = 1 + int(rand() * (n_filler - 1))
        while len(text) < target:
            text += FILLER[f]
            f = (f + step) % n_filler
        if len(slugs) > 4 and rand() < 0.5:
            text += "Bonus points for " + slugs[3] + " or " + slugs[4] + ". "
        if len(text) > DESCRIPTION_MAX:
            text = text[:DESCRIPTION_MAX].rsplit(" ", 1)[0]
        text = text.rstrip()

        row = {}
        if rand() < 0.9:
            row["job_id"] = f"gen_{row_number}"
        row["title"] = title
        row["company"] = company
        row["company_domain"] = domain
        if rand() < 0.5:
            row["company_industry"] = industry
        row["location"] = location
        row["description"] = text
        row["technology_slugs"] = slugs
        row["url"] = f"https://jobs.example.com/{row_number}"
        row["search_keywords"] = role_name
        if country == "Remote":
            row["search_location"] = "Remote" if rand() < 0.6 else US
        elif rand() < 0.7:
            row["search_location"] = country
        else:
            row["search_location"] = location.split(",", 1)[0]
        row["date_posted"] = date_of(day_number - posted_back[i]) + "T00:00:00Z"
        if rand() < 0.55:
            low = randint(40, 200) * 1000
            row["min_annual_salary_usd"] = low
            row["max_annual_salary_usd"] = low + randint(10, 80) * 1000
        u = rand()
        if country == "Remote":
            row["remote"] = True
        elif u < p_true:
            row["remote"] = True
        elif u < p_false:
            row["remote"] = False
        row["scraped_at"] = date_of(day_number) + "T" + hms[ts % 86400] + "Z"
        batch.append(encode(row))
        if len(batch) >= 20000:
            batch.append("")
            out.write("\n".join(batch))
            batch = []
    if batch:
        batch.append("")
        out.write("\n".join(batch))
    if out is not sys.stdout:
        out.close()
    else:
        out.flush()

    elapsed = time.monotonic() - started
    report = sys.stderr
    print(f"gen-postings: {n} rows in {elapsed:.1f}s ({n / max(elapsed, 1e-9):,.0f} rows/s), "
          f"{args.days} days, seed {args.seed}", file=report)
    if n:
        first = date_of(times[0] // 86400)
        last = date_of(times[-1] // 86400)
        per_day = Counter(t // 86400 for t in times)
        days_sorted = sorted(per_day)
        head = sum(per_day[d] for d in days_sorted[:7]) / min(7, len(days_sorted))
        tail = sum(per_day[d] for d in days_sorted[-7:]) / min(7, len(days_sorted))
        print(f"  scraped_at {first} .. {last}; rows/day first week {head:,.0f}, "
              f"last week {tail:,.0f}", file=report)
        print(f"  distinct slugs {len(slug_counter)} (as spelled), "
              f"{len({s.lower() for s in slug_counter})} ignoring case", file=report)
        top = ", ".join(f"{s} {c / n:.0%}" for s, c in slug_counter.most_common(5))
        print(f"  top slugs (share of postings): {top}", file=report)
        top_roles = ", ".join(
            f"{role_names[r]} {c / n:.1%}" for r, c in role_counter.most_common(3))
        print(f"  top roles: {top_roles}", file=report)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
