app-name = ipyun IP operations
