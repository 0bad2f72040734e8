app-name = 知识产权运营平台
